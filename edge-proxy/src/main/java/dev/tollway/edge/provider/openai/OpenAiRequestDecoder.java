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

/** Decodes a client's OpenAI Chat Completions request into the provider-neutral model. */
final class OpenAiRequestDecoder {

  private static final List<String> ROLES = List.of("system", "developer", "user", "assistant", "tool");
  private static final List<String> TOOL_CHOICES = List.of("auto", "none", "required");

  private OpenAiRequestDecoder() {}

  static ChatRequest decode(JsonNode input) {
    ObjectNode body = Fields.body(input);
    String model = Fields.optString(body, "model", "model");
    ArrayNode messagesNode = Fields.requiredNonEmptyArray(body, "messages", "messages");
    List<ChatMessage> messages = new ArrayList<>();
    for (int i = 0; i < messagesNode.size(); i++) {
      messages.add(message(messagesNode.get(i), "messages[" + i + "]"));
    }
    List<ToolDefinition> tools = tools(body);
    ToolChoice toolChoice = toolChoice(body);
    boolean stream = Boolean.TRUE.equals(Fields.optBoolean(body, "stream", "stream"));
    ObjectNode streamOptions = Fields.optObject(body, "stream_options", "stream_options");
    boolean includeUsage =
        streamOptions != null
            && Boolean.TRUE.equals(
                Fields.optBoolean(streamOptions, "include_usage", "stream_options.include_usage"));
    return new ChatRequest(
        model, messages, tools, toolChoice, params(body), stream, includeUsage, ChatFormat.OPENAI_CHAT, body);
  }

  private static ChatMessage message(JsonNode node, String path) {
    ObjectNode message = Fields.object(node, path);
    String role = Fields.oneOf(Fields.required(message, "role", path + ".role"), path + ".role", ROLES);
    String name = Fields.optString(message, "name", path + ".name");
    return switch (role) {
      case "system", "developer" ->
          new ChatMessage(Role.system, textParts(message, path), List.of(), null, name);
      case "user" -> new ChatMessage(Role.user, userParts(message, path), List.of(), null, name);
      case "assistant" -> assistant(message, path, name);
      default -> {
        String toolCallId = Fields.requiredString(message, "tool_call_id", path + ".tool_call_id");
        yield new ChatMessage(Role.tool, textParts(message, path), List.of(), toolCallId, name);
      }
    };
  }

  private static ChatMessage assistant(ObjectNode message, String path, @Nullable String name) {
    List<ContentPart> content = new ArrayList<>();
    JsonNode value = Fields.optional(message, "content");
    if (value != null) {
      if (value.isTextual()) {
        if (!value.textValue().isEmpty()) {
          content.add(new ContentPart.Text(value.textValue()));
        }
      } else if (value.isArray()) {
        for (int i = 0; i < value.size(); i++) {
          String partPath = path + ".content[" + i + "]";
          ObjectNode part = Fields.object(value.get(i), partPath);
          String type =
              Fields.oneOf(
                  Fields.required(part, "type", partPath + ".type"), partPath + ".type", List.of("text", "refusal"));
          String field = type.equals("text") ? "text" : "refusal";
          content.add(new ContentPart.Text(Fields.requiredString(part, field, partPath + "." + field)));
        }
      } else {
        throw invalid(path + ".content", "expected a string or an array of content parts");
      }
    }
    String refusal = Fields.optString(message, "refusal", path + ".refusal");
    if (refusal != null && content.isEmpty()) {
      content.add(new ContentPart.Text(refusal));
    }
    List<ToolCall> toolCalls = new ArrayList<>();
    ArrayNode calls = Fields.optArray(message, "tool_calls", path + ".tool_calls");
    if (calls != null) {
      for (int i = 0; i < calls.size(); i++) {
        String callPath = path + ".tool_calls[" + i + "]";
        ObjectNode call = Fields.object(calls.get(i), callPath);
        String type = Fields.optString(call, "type", callPath + ".type");
        if (type != null && !type.equals("function")) {
          throw invalid(callPath + ".type", "expected function");
        }
        String id = Fields.requiredString(call, "id", callPath + ".id");
        ObjectNode function = Fields.object(Fields.required(call, "function", callPath + ".function"), callPath + ".function");
        String functionName = Fields.requiredString(function, "name", callPath + ".function.name");
        String arguments = Fields.optString(function, "arguments", callPath + ".function.arguments");
        toolCalls.add(new ToolCall(id, functionName, arguments == null ? "" : arguments));
      }
    }
    if (content.isEmpty() && toolCalls.isEmpty() && !Fields.present(message, "content") && refusal == null) {
      throw invalid(path + ".content", "required unless tool_calls is given");
    }
    return new ChatMessage(Role.assistant, content, toolCalls, null, name);
  }

  /** System, developer and tool content: a string or an array of text parts. */
  private static List<ContentPart> textParts(ObjectNode message, String path) {
    JsonNode value = Fields.required(message, "content", path + ".content");
    if (value.isTextual()) {
      return List.of(new ContentPart.Text(value.textValue()));
    }
    if (!value.isArray()) {
      throw invalid(path + ".content", "expected a string or an array of text parts");
    }
    List<ContentPart> parts = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      String partPath = path + ".content[" + i + "]";
      ObjectNode part = Fields.object(value.get(i), partPath);
      Fields.oneOf(Fields.required(part, "type", partPath + ".type"), partPath + ".type", List.of("text"));
      parts.add(new ContentPart.Text(Fields.requiredString(part, "text", partPath + ".text")));
    }
    return parts;
  }

  private static List<ContentPart> userParts(ObjectNode message, String path) {
    JsonNode value = Fields.required(message, "content", path + ".content");
    if (value.isTextual()) {
      return List.of(new ContentPart.Text(value.textValue()));
    }
    if (!value.isArray()) {
      throw invalid(path + ".content", "expected a string or an array of content parts");
    }
    List<ContentPart> parts = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      String partPath = path + ".content[" + i + "]";
      ObjectNode part = Fields.object(value.get(i), partPath);
      String type =
          Fields.oneOf(
              Fields.required(part, "type", partPath + ".type"), partPath + ".type", List.of("text", "image_url"));
      if (type.equals("text")) {
        parts.add(new ContentPart.Text(Fields.requiredString(part, "text", partPath + ".text")));
      } else {
        parts.add(image(part, partPath));
      }
    }
    return parts;
  }

  private static ContentPart.Image image(ObjectNode part, String path) {
    ObjectNode imageUrl = Fields.object(Fields.required(part, "image_url", path + ".image_url"), path + ".image_url");
    String url = Fields.requiredString(imageUrl, "url", path + ".image_url.url");
    String detail = Fields.optString(imageUrl, "detail", path + ".image_url.detail");
    if (url.startsWith("data:")) {
      DataUrl data = DataUrl.parse(url);
      if (data == null) {
        throw invalid(path + ".image_url.url", "expected an http(s) URL or a data:<media type>;base64,<data> URL");
      }
      return new ContentPart.Image(null, data.mediaType(), data.base64(), detail);
    }
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw invalid(path + ".image_url.url", "expected an http(s) URL or a data:<media type>;base64,<data> URL");
    }
    return new ContentPart.Image(url, null, null, detail);
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
      Fields.oneOf(Fields.required(tool, "type", path + ".type"), path + ".type", List.of("function"));
      ObjectNode function = Fields.object(Fields.required(tool, "function", path + ".function"), path + ".function");
      String name = Fields.requiredString(function, "name", path + ".function.name");
      String description = Fields.optString(function, "description", path + ".function.description");
      ObjectNode parameters = Fields.optObject(function, "parameters", path + ".function.parameters");
      out.add(new ToolDefinition(name, description, parameters == null ? emptySchema() : parameters));
    }
    return out;
  }

  static ObjectNode emptySchema() {
    ObjectNode schema = Json.mapper().createObjectNode();
    schema.put("type", "object");
    schema.putObject("properties");
    return schema;
  }

  private static @Nullable ToolChoice toolChoice(ObjectNode body) {
    Boolean parallel = Fields.optBoolean(body, "parallel_tool_calls", "parallel_tool_calls");
    JsonNode choice = Fields.optional(body, "tool_choice");
    if (choice == null) {
      return parallel == null ? null : new ToolChoice(ToolChoice.Mode.auto, null, parallel);
    }
    if (choice.isTextual()) {
      String mode = Fields.oneOf(choice, "tool_choice", TOOL_CHOICES);
      return new ToolChoice(ToolChoice.Mode.valueOf(mode), null, parallel);
    }
    ObjectNode named = Fields.object(choice, "tool_choice");
    Fields.oneOf(Fields.required(named, "type", "tool_choice.type"), "tool_choice.type", List.of("function"));
    ObjectNode function =
        Fields.object(Fields.required(named, "function", "tool_choice.function"), "tool_choice.function");
    String name = Fields.requiredString(function, "name", "tool_choice.function.name");
    return new ToolChoice(ToolChoice.Mode.tool, name, parallel);
  }

  private static GenerationParams params(ObjectNode body) {
    Long maxTokens = Fields.optPositiveLong(body, "max_completion_tokens", "max_completion_tokens");
    if (maxTokens == null) {
      maxTokens = Fields.optPositiveLong(body, "max_tokens", "max_tokens");
    }
    JsonNode responseFormat = null;
    ObjectNode format = Fields.optObject(body, "response_format", "response_format");
    if (format != null) {
      String type =
          Fields.oneOf(
              Fields.required(format, "type", "response_format.type"),
              "response_format.type",
              List.of("text", "json_object", "json_schema"));
      if (type.equals("json_schema")) {
        ObjectNode schema =
            Fields.object(
                Fields.required(format, "json_schema", "response_format.json_schema"), "response_format.json_schema");
        Fields.requiredString(schema, "name", "response_format.json_schema.name");
        Fields.optObject(schema, "schema", "response_format.json_schema.schema");
      }
      responseFormat = type.equals("text") ? null : format;
    }
    String effort = Fields.optString(body, "reasoning_effort", "reasoning_effort");
    if (effort != null) {
      Fields.oneOf(
          Fields.required(body, "reasoning_effort", "reasoning_effort"),
          "reasoning_effort",
          List.of("none", "minimal", "low", "medium", "high", "xhigh"));
    }
    return new GenerationParams(
        maxTokens,
        Fields.optNumber(body, "temperature", "temperature"),
        Fields.optNumber(body, "top_p", "top_p"),
        Fields.stringOrStrings(body, "stop", "stop"),
        responseFormat,
        effort,
        null,
        Fields.optLong(body, "seed", "seed"),
        Fields.optString(body, "user", "user"));
  }
}
