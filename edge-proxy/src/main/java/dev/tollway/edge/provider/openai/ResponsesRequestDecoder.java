package dev.tollway.edge.provider.openai;

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
import dev.tollway.schemas.serde.Json;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Decodes a client's OpenAI Responses request ({@code POST /v1/responses}) into the provider-neutral model:
 * {@code instructions} and {@code system} / {@code developer} input messages become system messages;
 * {@code input} as a string is one user message; input items {@code message}, {@code function_call} (merged
 * into the assistant message before it, so parallel calls stay one turn), {@code function_call_output} and
 * {@code reasoning} map to messages, tool calls, tool results and reasoning; function tools, tool choice,
 * {@code max_output_tokens}, {@code text.format} (JSON mode), {@code reasoning.effort} carry over. Hosted
 * tools and stored state ({@code previous_response_id}, {@code conversation}, {@code item_reference}) are
 * accepted here and refused by {@link #checkTranslatable} when the request must be translated.
 */
final class ResponsesRequestDecoder {

  private static final List<String> ROLES = List.of("user", "assistant", "system", "developer");
  private static final List<String> ITEM_TYPES =
      List.of("message", "function_call", "function_call_output", "reasoning", "item_reference");

  private ResponsesRequestDecoder() {}

  static ChatRequest decode(JsonNode input) {
    ObjectNode body = Fields.body(input);
    String model = Fields.optString(body, "model", "model");
    Turns messages = new Turns();
    String instructions = Fields.optString(body, "instructions", "instructions");
    if (instructions != null && !instructions.isEmpty()) {
      messages.add(ChatMessage.text(Role.system, instructions));
    }
    JsonNode items = Fields.required(body, "input", "input");
    if (items.isTextual()) {
      messages.add(ChatMessage.text(Role.user, items.textValue()));
    } else if (items.isArray()) {
      if (items.isEmpty()) {
        throw invalid("input", "expected at least one item");
      }
      for (int i = 0; i < items.size(); i++) {
        item(items.get(i), "input[" + i + "]", messages);
      }
    } else {
      throw invalid("input", "expected a string or an array of input items");
    }
    List<ToolDefinition> tools = tools(body);
    ToolChoice toolChoice = toolChoice(body);
    boolean stream = Boolean.TRUE.equals(Fields.optBoolean(body, "stream", "stream"));
    return new ChatRequest(
        model, messages.messages(), tools, toolChoice, params(body), stream, true, ChatFormat.OPENAI_RESPONSES,
        body);
  }

  /** Refuses what only OpenAI itself can serve: stored state and hosted tools. */
  static void checkTranslatable(ChatRequest request) {
    if (!(request.original() instanceof ObjectNode body)) {
      return;
    }
    for (String field : List.of("previous_response_id", "conversation", "prompt")) {
      if (Fields.present(body, field)) {
        throw invalid(field, "needs state stored at OpenAI; only an OpenAI-format provider can serve it");
      }
    }
    JsonNode items = body.get("input");
    if (items != null && items.isArray()) {
      for (int i = 0; i < items.size(); i++) {
        if ("item_reference".equals(Fields.text(items.get(i), "type"))) {
          throw invalid("input[" + i + "].type",
              "item_reference needs state stored at OpenAI; only an OpenAI-format provider can serve it");
        }
      }
    }
    JsonNode tools = body.get("tools");
    if (tools != null && tools.isArray()) {
      for (int i = 0; i < tools.size(); i++) {
        String type = Fields.text(tools.get(i), "type");
        if (type != null && !type.equals("function")) {
          throw invalid("tools[" + i + "].type",
              type + " is a tool hosted by OpenAI; only an OpenAI-format provider can serve it");
        }
      }
    }
  }

  private static void item(JsonNode node, String path, Turns out) {
    ObjectNode item = Fields.object(node, path);
    String type = Fields.present(item, "type")
        ? Fields.oneOf(item.get("type"), path + ".type", ITEM_TYPES)
        : "message";
    switch (type) {
      case "message" -> out.add(message(item, path));
      case "function_call" -> {
        String callId = Fields.requiredString(item, "call_id", path + ".call_id");
        String name = Fields.requiredString(item, "name", path + ".name");
        String arguments = Fields.optString(item, "arguments", path + ".arguments");
        out.assistantCall(new ToolCall(callId, name, arguments == null ? "" : arguments));
      }
      case "function_call_output" -> {
        String callId = Fields.requiredString(item, "call_id", path + ".call_id");
        JsonNode output = Fields.required(item, "output", path + ".output");
        out.add(new ChatMessage(Role.tool, List.of(new ContentPart.Text(outputText(output, path + ".output"))),
            List.of(), callId, null));
      }
      case "reasoning" -> {
        StringBuilder text = new StringBuilder();
        ArrayNode summary = Fields.optArray(item, "summary", path + ".summary");
        if (summary != null) {
          for (int i = 0; i < summary.size(); i++) {
            String partPath = path + ".summary[" + i + "]";
            text.append(Fields.requiredString(Fields.object(summary.get(i), partPath), "text", partPath + ".text"));
          }
        }
        out.assistantPart(new ContentPart.Reasoning(text.toString(), null));
      }
      default -> {
        // item_reference: refused by checkTranslatable; an OpenAI provider resolves it itself
      }
    }
  }

  /**
   * The messages decoded so far. Function calls and reasoning join the assistant message at the end (a new
   * one when the last message is not an assistant's), so an answer's parallel calls stay one turn.
   */
  private static final class Turns {
    private final List<ChatMessage> messages = new ArrayList<>();

    void add(ChatMessage message) {
      messages.add(message);
    }

    void assistantCall(ToolCall call) {
      ChatMessage last = openAssistant();
      List<ToolCall> calls = new ArrayList<>(last.toolCalls());
      calls.add(call);
      messages.set(messages.size() - 1, new ChatMessage(Role.assistant, last.content(), calls, null, null));
    }

    void assistantPart(ContentPart part) {
      ChatMessage last = openAssistant();
      List<ContentPart> content = new ArrayList<>(last.content());
      content.add(part);
      messages.set(messages.size() - 1, new ChatMessage(Role.assistant, content, last.toolCalls(), null, null));
    }

    private ChatMessage openAssistant() {
      if (messages.isEmpty() || messages.get(messages.size() - 1).role() != Role.assistant) {
        messages.add(new ChatMessage(Role.assistant, List.of(), List.of(), null, null));
      }
      return messages.get(messages.size() - 1);
    }

    List<ChatMessage> messages() {
      return messages;
    }
  }

  private static ChatMessage message(ObjectNode item, String path) {
    String role = Fields.oneOf(Fields.required(item, "role", path + ".role"), path + ".role", ROLES);
    JsonNode content = Fields.required(item, "content", path + ".content");
    List<ContentPart> parts = new ArrayList<>();
    if (content.isTextual()) {
      parts.add(new ContentPart.Text(content.textValue()));
    } else if (content.isArray()) {
      for (int i = 0; i < content.size(); i++) {
        parts.add(part(content.get(i), path + ".content[" + i + "]", role));
      }
    } else {
      throw invalid(path + ".content", "expected a string or an array of content parts");
    }
    Role neutral = switch (role) {
      case "system", "developer" -> Role.system;
      case "assistant" -> Role.assistant;
      default -> Role.user;
    };
    return new ChatMessage(neutral, parts, List.of(), null, null);
  }

  private static ContentPart part(JsonNode node, String path, String role) {
    ObjectNode part = Fields.object(node, path);
    List<String> allowed = role.equals("assistant")
        ? List.of("output_text", "refusal", "input_text")
        : List.of("input_text", "input_image");
    String type = Fields.oneOf(Fields.required(part, "type", path + ".type"), path + ".type", allowed);
    return switch (type) {
      case "input_text", "output_text" -> new ContentPart.Text(Fields.requiredString(part, "text", path + ".text"));
      case "refusal" -> new ContentPart.Text(Fields.requiredString(part, "refusal", path + ".refusal"));
      default -> image(part, path);
    };
  }

  private static ContentPart.Image image(ObjectNode part, String path) {
    String url = Fields.optString(part, "image_url", path + ".image_url");
    if (url == null) {
      throw invalid(path + ".image_url", "required (file_id images need files stored at OpenAI)");
    }
    String detail = Fields.optString(part, "detail", path + ".detail");
    if (url.startsWith("data:")) {
      DataUrl data = DataUrl.parse(url);
      if (data == null) {
        throw invalid(path + ".image_url", "expected an http(s) URL or a data:<media type>;base64,<data> URL");
      }
      return new ContentPart.Image(null, data.mediaType(), data.base64(), detail);
    }
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw invalid(path + ".image_url", "expected an http(s) URL or a data:<media type>;base64,<data> URL");
    }
    return new ContentPart.Image(url, null, null, detail);
  }

  private static String outputText(JsonNode output, String path) {
    if (output.isTextual()) {
      return output.textValue();
    }
    if (!output.isArray()) {
      throw invalid(path, "expected a string or an array of content parts");
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < output.size(); i++) {
      String partPath = path + "[" + i + "]";
      ObjectNode part = Fields.object(output.get(i), partPath);
      Fields.oneOf(Fields.required(part, "type", partPath + ".type"), partPath + ".type", List.of("input_text"));
      text.append(Fields.requiredString(part, "text", partPath + ".text"));
    }
    return text.toString();
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
      String type = Fields.requiredString(tool, "type", path + ".type");
      if (!type.equals("function")) {
        continue; // a hosted tool: only OpenAI serves it (see checkTranslatable)
      }
      String name = Fields.requiredString(tool, "name", path + ".name");
      String description = Fields.optString(tool, "description", path + ".description");
      ObjectNode parameters = Fields.optObject(tool, "parameters", path + ".parameters");
      out.add(new ToolDefinition(name, description, parameters == null ? OpenAiRequestDecoder.emptySchema() : parameters));
    }
    return out;
  }

  private static @Nullable ToolChoice toolChoice(ObjectNode body) {
    Boolean parallel = Fields.optBoolean(body, "parallel_tool_calls", "parallel_tool_calls");
    JsonNode choice = Fields.optional(body, "tool_choice");
    if (choice == null) {
      return parallel == null ? null : new ToolChoice(ToolChoice.Mode.auto, null, parallel);
    }
    if (choice.isTextual()) {
      String mode = Fields.oneOf(choice, "tool_choice", List.of("auto", "none", "required"));
      return new ToolChoice(ToolChoice.Mode.valueOf(mode), null, parallel);
    }
    ObjectNode named = Fields.object(choice, "tool_choice");
    String type = Fields.requiredString(named, "type", "tool_choice.type");
    if (!type.equals("function")) {
      throw invalid("tool_choice.type", "expected function (hosted tool choices need an OpenAI-format provider)");
    }
    return new ToolChoice(ToolChoice.Mode.tool, Fields.requiredString(named, "name", "tool_choice.name"), parallel);
  }

  private static GenerationParams params(ObjectNode body) {
    JsonNode responseFormat = null;
    ObjectNode text = Fields.optObject(body, "text", "text");
    ObjectNode format = text == null ? null : Fields.optObject(text, "format", "text.format");
    if (format != null) {
      String type = Fields.oneOf(Fields.required(format, "type", "text.format.type"), "text.format.type",
          List.of("text", "json_object", "json_schema"));
      if (type.equals("json_schema")) {
        ObjectNode schema = Fields.object(Fields.required(format, "schema", "text.format.schema"), "text.format.schema");
        ObjectNode chat = Json.mapper().createObjectNode().put("type", "json_schema");
        ObjectNode jsonSchema = chat.putObject("json_schema");
        jsonSchema.put("name", Fields.requiredString(format, "name", "text.format.name"));
        String description = Fields.optString(format, "description", "text.format.description");
        if (description != null) {
          jsonSchema.put("description", description);
        }
        jsonSchema.set("schema", schema);
        Boolean strict = Fields.optBoolean(format, "strict", "text.format.strict");
        if (strict != null) {
          jsonSchema.put("strict", strict);
        }
        responseFormat = chat;
      } else if (type.equals("json_object")) {
        responseFormat = Json.mapper().createObjectNode().put("type", "json_object");
      }
    }
    String effort = null;
    ObjectNode reasoning = Fields.optObject(body, "reasoning", "reasoning");
    if (reasoning != null && Fields.present(reasoning, "effort")) {
      effort = Fields.oneOf(reasoning.get("effort"), "reasoning.effort",
          List.of("none", "minimal", "low", "medium", "high", "xhigh"));
    }
    String user = Fields.optString(body, "user", "user");
    if (user == null) {
      user = Fields.optString(body, "safety_identifier", "safety_identifier");
    }
    return new GenerationParams(
        Fields.optPositiveLong(body, "max_output_tokens", "max_output_tokens"),
        Fields.optNumber(body, "temperature", "temperature"),
        Fields.optNumber(body, "top_p", "top_p"),
        List.of(),
        responseFormat,
        effort,
        null,
        null,
        user);
  }
}
