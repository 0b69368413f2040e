package dev.tollway.edge.provider.anthropic;

import static dev.tollway.edge.provider.wire.Fields.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ChatMessage;
import dev.tollway.edge.llm.ChatMessage.Role;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.ContentPart;
import dev.tollway.edge.llm.GenerationParams;
import dev.tollway.edge.llm.ToolCall;
import dev.tollway.edge.llm.ToolChoice;
import dev.tollway.edge.llm.ToolDefinition;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.edge.provider.wire.ToolArguments;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Decodes a client's Anthropic Messages request. {@code tool_result} blocks of a user turn become tool
 * messages (before the turn's other content), {@code tool_use} blocks of an assistant turn tool calls,
 * {@code thinking} blocks reasoning parts with their signature. Streams always carry usage in this API, so
 * the request counts as asking for it.
 */
final class AnthropicRequestDecoder {

  private AnthropicRequestDecoder() {}

  static ChatRequest decode(JsonNode input) {
    return decode(input, true);
  }

  /**
   * @param requireMaxTokens false for a {@code count_tokens} body, which has no {@code max_tokens}
   */
  static ChatRequest decode(JsonNode input, boolean requireMaxTokens) {
    ObjectNode body = Fields.body(input);
    String model = Fields.optString(body, "model", "model");
    Long maxTokens = Fields.optPositiveLong(body, "max_tokens", "max_tokens");
    if (maxTokens == null && requireMaxTokens) {
      throw invalid("max_tokens", "required");
    }
    List<ChatMessage> messages = new ArrayList<>(system(body));
    ArrayNode turns = Fields.requiredNonEmptyArray(body, "messages", "messages");
    for (int i = 0; i < turns.size(); i++) {
      turn(turns.get(i), "messages[" + i + "]", messages);
    }
    List<ToolDefinition> tools = tools(body);
    ToolChoice toolChoice = toolChoice(body);
    Long budget = null;
    ObjectNode thinking = Fields.optObject(body, "thinking", "thinking");
    if (thinking != null) {
      String type =
          Fields.oneOf(
              Fields.required(thinking, "type", "thinking.type"), "thinking.type", List.of("enabled", "disabled"));
      if (type.equals("enabled")) {
        budget = Fields.optPositiveLong(thinking, "budget_tokens", "thinking.budget_tokens");
        if (budget == null) {
          throw invalid("thinking.budget_tokens", "required");
        }
      }
    }
    ObjectNode metadata = Fields.optObject(body, "metadata", "metadata");
    String user = metadata == null ? null : Fields.optString(metadata, "user_id", "metadata.user_id");
    GenerationParams params =
        new GenerationParams(
            maxTokens,
            Fields.optNumber(body, "temperature", "temperature"),
            Fields.optNumber(body, "top_p", "top_p"),
            stopSequences(body),
            null,
            null,
            budget,
            null,
            user);
    boolean stream = Boolean.TRUE.equals(Fields.optBoolean(body, "stream", "stream"));
    return new ChatRequest(
        model, messages, tools, toolChoice, params, stream, true, ChatFormat.ANTHROPIC_MESSAGES, body);
  }

  private static List<ChatMessage> system(ObjectNode body) {
    JsonNode system = Fields.optional(body, "system");
    if (system == null) {
      return List.of();
    }
    if (system.isTextual()) {
      return List.of(ChatMessage.text(Role.system, system.textValue()));
    }
    if (!system.isArray()) {
      throw invalid("system", "expected a string or an array of text blocks");
    }
    List<ContentPart> parts = new ArrayList<>();
    for (int i = 0; i < system.size(); i++) {
      String path = "system[" + i + "]";
      ObjectNode block = Fields.object(system.get(i), path);
      Fields.oneOf(Fields.required(block, "type", path + ".type"), path + ".type", List.of("text"));
      parts.add(new ContentPart.Text(Fields.requiredString(block, "text", path + ".text")));
    }
    return List.of(new ChatMessage(Role.system, parts, List.of(), null, null));
  }

  private static void turn(JsonNode node, String path, List<ChatMessage> out) {
    ObjectNode turn = Fields.object(node, path);
    String role =
        Fields.oneOf(Fields.required(turn, "role", path + ".role"), path + ".role", List.of("user", "assistant"));
    JsonNode content = Fields.required(turn, "content", path + ".content");
    if (content.isTextual()) {
      out.add(ChatMessage.text(role.equals("user") ? Role.user : Role.assistant, content.textValue()));
      return;
    }
    if (!content.isArray()) {
      throw invalid(path + ".content", "expected a string or an array of content blocks");
    }
    List<ContentPart> parts = new ArrayList<>();
    List<ToolCall> calls = new ArrayList<>();
    List<String> allowed =
        role.equals("user")
            ? List.of("text", "image", "tool_result")
            : List.of("text", "thinking", "redacted_thinking", "tool_use");
    for (int i = 0; i < content.size(); i++) {
      String blockPath = path + ".content[" + i + "]";
      ObjectNode block = Fields.object(content.get(i), blockPath);
      String type = Fields.oneOf(Fields.required(block, "type", blockPath + ".type"), blockPath + ".type", allowed);
      switch (type) {
        case "text" -> parts.add(new ContentPart.Text(Fields.requiredString(block, "text", blockPath + ".text")));
        case "image" -> parts.add(image(block, blockPath));
        case "thinking" ->
            parts.add(
                new ContentPart.Reasoning(
                    Fields.requiredString(block, "thinking", blockPath + ".thinking"),
                    Fields.optString(block, "signature", blockPath + ".signature")));
        case "redacted_thinking" -> {
          // encrypted reasoning has no neutral form; it only matters to Anthropic itself
        }
        case "tool_use" -> {
          String id = Fields.requiredString(block, "id", blockPath + ".id");
          String name = Fields.requiredString(block, "name", blockPath + ".name");
          JsonNode toolInput = Fields.optional(block, "input");
          if (toolInput != null && !toolInput.isObject()) {
            throw invalid(blockPath + ".input", "expected an object");
          }
          calls.add(new ToolCall(id, name, toolInput == null ? "{}" : ToolArguments.text(toolInput)));
        }
        default -> out.add(toolResult(block, blockPath));
      }
    }
    if (role.equals("user")) {
      if (!parts.isEmpty()) {
        out.add(new ChatMessage(Role.user, parts, List.of(), null, null));
      }
    } else {
      out.add(new ChatMessage(Role.assistant, parts, calls, null, null));
    }
  }

  private static ChatMessage toolResult(ObjectNode block, String path) {
    String toolUseId = Fields.requiredString(block, "tool_use_id", path + ".tool_use_id");
    JsonNode content = Fields.optional(block, "content");
    StringBuilder text = new StringBuilder();
    if (content != null) {
      if (content.isTextual()) {
        text.append(content.textValue());
      } else if (content.isArray()) {
        for (int i = 0; i < content.size(); i++) {
          String partPath = path + ".content[" + i + "]";
          ObjectNode part = Fields.object(content.get(i), partPath);
          Fields.oneOf(Fields.required(part, "type", partPath + ".type"), partPath + ".type", List.of("text"));
          text.append(Fields.requiredString(part, "text", partPath + ".text"));
        }
      } else {
        throw invalid(path + ".content", "expected a string or an array of text blocks");
      }
    }
    if (Boolean.TRUE.equals(Fields.optBoolean(block, "is_error", path + ".is_error"))) {
      text.insert(0, "Error: ");
    }
    return new ChatMessage(Role.tool, List.of(new ContentPart.Text(text.toString())), List.of(), toolUseId, null);
  }

  private static ContentPart.Image image(ObjectNode block, String path) {
    ObjectNode source = Fields.object(Fields.required(block, "source", path + ".source"), path + ".source");
    String type =
        Fields.oneOf(
            Fields.required(source, "type", path + ".source.type"), path + ".source.type", List.of("base64", "url"));
    if (type.equals("url")) {
      return new ContentPart.Image(Fields.requiredString(source, "url", path + ".source.url"), null, null, null);
    }
    return new ContentPart.Image(
        null,
        Fields.requiredString(source, "media_type", path + ".source.media_type"),
        Fields.requiredString(source, "data", path + ".source.data"),
        null);
  }

  private static List<ToolDefinition> tools(ObjectNode body) {
    ArrayNode tools = Fields.optArray(body, "tools", "tools");
    if (tools == null) {
      return List.of();
    }
    List<ToolDefinition> out = new ArrayList<>();
    for (int i = 0; i < tools.size(); i++) {
      String path = "tools[" + i + "]";
      ObjectNode tool = Fields.object(tools.get(i), path);
      String type = Fields.optString(tool, "type", path + ".type");
      if (type != null && !type.equals("custom")) {
        throw invalid(path + ".type", "only custom tools (name, description, input_schema) are supported");
      }
      out.add(
          new ToolDefinition(
              Fields.requiredString(tool, "name", path + ".name"),
              Fields.optString(tool, "description", path + ".description"),
              Fields.object(Fields.required(tool, "input_schema", path + ".input_schema"), path + ".input_schema")));
    }
    return out;
  }

  private static @Nullable ToolChoice toolChoice(ObjectNode body) {
    ObjectNode choice = Fields.optObject(body, "tool_choice", "tool_choice");
    if (choice == null) {
      return null;
    }
    String type =
        Fields.oneOf(
            Fields.required(choice, "type", "tool_choice.type"),
            "tool_choice.type",
            List.of("auto", "any", "tool", "none"));
    Boolean disableParallel =
        Fields.optBoolean(choice, "disable_parallel_tool_use", "tool_choice.disable_parallel_tool_use");
    Boolean parallel = disableParallel == null ? null : !disableParallel;
    return switch (type) {
      case "auto" -> new ToolChoice(ToolChoice.Mode.auto, null, parallel);
      case "any" -> new ToolChoice(ToolChoice.Mode.required, null, parallel);
      case "none" -> new ToolChoice(ToolChoice.Mode.none, null, parallel);
      default ->
          new ToolChoice(
              ToolChoice.Mode.tool, Fields.requiredString(choice, "name", "tool_choice.name"), parallel);
    };
  }

  private static List<String> stopSequences(ObjectNode body) {
    ArrayNode stop = Fields.optArray(body, "stop_sequences", "stop_sequences");
    if (stop == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < stop.size(); i++) {
      if (!stop.get(i).isTextual()) {
        throw invalid("stop_sequences[" + i + "]", "expected a string");
      }
      out.add(stop.get(i).textValue());
    }
    return out;
  }
}
