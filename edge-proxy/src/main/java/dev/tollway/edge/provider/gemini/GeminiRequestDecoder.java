package dev.tollway.edge.provider.gemini;

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
import dev.tollway.edge.provider.wire.IdSource;
import dev.tollway.edge.provider.wire.ToolArguments;
import dev.tollway.schemas.serde.Json;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Decodes a client's Gemini {@code generateContent} request. The model and whether to stream are in the
 * path ({@code models/{model}:streamGenerateContent}), so the caller passes them. Function calls get ids
 * (Gemini's own {@code id} when present); a {@code functionResponse} answers the earliest unanswered call of
 * the same name (or the same id). Field names are accepted in lowerCamelCase and snake_case, as the REST API
 * does.
 */
final class GeminiRequestDecoder {

  private record Call(String id, String name) {}

  private final IdSource ids;

  GeminiRequestDecoder(IdSource ids) {
    this.ids = ids;
  }

  ChatRequest decode(JsonNode input, @Nullable String model, boolean stream) {
    ObjectNode body = Fields.body(input);
    List<ChatMessage> messages = new ArrayList<>();
    ObjectNode system = optObject(body, "systemInstruction", "system_instruction");
    if (system != null) {
      List<ContentPart> parts = new ArrayList<>();
      ArrayNode systemParts = Fields.optArray(system, "parts", "systemInstruction.parts");
      if (systemParts != null) {
        for (int i = 0; i < systemParts.size(); i++) {
          String path = "systemInstruction.parts[" + i + "]";
          parts.add(new ContentPart.Text(Fields.requiredString(Fields.object(systemParts.get(i), path), "text", path + ".text")));
        }
      }
      messages.add(new ChatMessage(Role.system, parts, List.of(), null, null));
    }
    ArrayNode contents = Fields.requiredNonEmptyArray(body, "contents", "contents");
    List<Call> unanswered = new ArrayList<>();
    for (int i = 0; i < contents.size(); i++) {
      content(contents.get(i), "contents[" + i + "]", messages, unanswered);
    }
    List<ToolDefinition> tools = tools(body);
    return new ChatRequest(
        model,
        messages,
        tools,
        toolChoice(body),
        params(body),
        stream,
        true,
        ChatFormat.GEMINI_GENERATE_CONTENT,
        body);
  }

  private void content(JsonNode node, String path, List<ChatMessage> out, List<Call> unanswered) {
    ObjectNode content = Fields.object(node, path);
    String role = "user";
    if (Fields.present(content, "role")) {
      role = Fields.oneOf(content.get("role"), path + ".role", List.of("user", "model"));
    }
    ArrayNode parts = Fields.requiredNonEmptyArray(content, "parts", path + ".parts");
    List<ContentPart> contentParts = new ArrayList<>();
    List<ToolCall> calls = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      String partPath = path + ".parts[" + i + "]";
      ObjectNode part = Fields.object(parts.get(i), partPath);
      String text = Fields.optString(part, "text", partPath + ".text");
      ObjectNode inline = optObject(part, "inlineData", "inline_data");
      ObjectNode file = optObject(part, "fileData", "file_data");
      ObjectNode functionCall = optObject(part, "functionCall", "function_call");
      ObjectNode functionResponse = optObject(part, "functionResponse", "function_response");
      if (text != null) {
        boolean thought = Boolean.TRUE.equals(Fields.optBoolean(part, "thought", partPath + ".thought"));
        contentParts.add(thought ? new ContentPart.Reasoning(text, null) : new ContentPart.Text(text));
      } else if (inline != null) {
        contentParts.add(
            new ContentPart.Image(
                null,
                requiredString(inline, "mimeType", "mime_type", partPath + ".inlineData.mimeType"),
                Fields.requiredString(inline, "data", partPath + ".inlineData.data"),
                null));
      } else if (file != null) {
        contentParts.add(
            new ContentPart.Image(
                requiredString(file, "fileUri", "file_uri", partPath + ".fileData.fileUri"),
                optString(file, "mimeType", "mime_type"),
                null,
                null));
      } else if (functionCall != null) {
        String name = Fields.requiredString(functionCall, "name", partPath + ".functionCall.name");
        String id = Fields.optString(functionCall, "id", partPath + ".functionCall.id");
        JsonNode args = Fields.optional(functionCall, "args");
        if (args != null && !args.isObject()) {
          throw invalid(partPath + ".functionCall.args", "expected an object");
        }
        Call call = new Call(id == null ? ids.next("call_") : id, name);
        unanswered.add(call);
        calls.add(new ToolCall(call.id(), name, args == null ? "{}" : ToolArguments.text(args)));
      } else if (functionResponse != null) {
        out.add(toolResult(functionResponse, partPath + ".functionResponse", unanswered));
      } else {
        throw invalid(partPath, "expected one of text, inlineData, fileData, functionCall, functionResponse");
      }
    }
    if (role.equals("model")) {
      out.add(new ChatMessage(Role.assistant, contentParts, calls, null, null));
    } else if (!contentParts.isEmpty()) {
      out.add(new ChatMessage(Role.user, contentParts, List.of(), null, null));
    }
  }

  private ChatMessage toolResult(ObjectNode response, String path, List<Call> unanswered) {
    String name = Fields.requiredString(response, "name", path + ".name");
    String id = Fields.optString(response, "id", path + ".id");
    JsonNode result = Fields.optional(response, "response");
    if (result != null && !result.isObject()) {
      throw invalid(path + ".response", "expected an object");
    }
    Call answered = null;
    for (Call call : unanswered) {
      if (id != null ? call.id().equals(id) : call.name().equals(name)) {
        answered = call;
        break;
      }
    }
    String callId;
    if (answered != null) {
      unanswered.remove(answered);
      callId = answered.id();
    } else {
      callId = id != null ? id : ids.next("call_");
    }
    String text = result == null ? "{}" : result.toString();
    return new ChatMessage(Role.tool, List.of(new ContentPart.Text(text)), List.of(), callId, name);
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
      JsonNode declarations = tool.has("functionDeclarations") ? tool.get("functionDeclarations") : tool.get("function_declarations");
      if (declarations == null || !declarations.isArray()) {
        throw invalid(path, "only functionDeclarations are supported");
      }
      for (int j = 0; j < declarations.size(); j++) {
        String declPath = path + ".functionDeclarations[" + j + "]";
        ObjectNode declaration = Fields.object(declarations.get(j), declPath);
        ObjectNode schema = optObject(declaration, "parametersJsonSchema", "parameters_json_schema");
        if (schema == null) {
          schema = Fields.optObject(declaration, "parameters", declPath + ".parameters");
        }
        if (schema == null) {
          schema = Json.mapper().createObjectNode().put("type", "object");
          schema.putObject("properties");
        }
        out.add(
            new ToolDefinition(
                Fields.requiredString(declaration, "name", declPath + ".name"),
                Fields.optString(declaration, "description", declPath + ".description"),
                schema));
      }
    }
    return out;
  }

  private static @Nullable ToolChoice toolChoice(ObjectNode body) {
    ObjectNode config = optObject(body, "toolConfig", "tool_config");
    if (config == null) {
      return null;
    }
    ObjectNode calling = optObject(config, "functionCallingConfig", "function_calling_config");
    if (calling == null || !Fields.present(calling, "mode")) {
      return null;
    }
    String mode =
        Fields.oneOf(
            calling.get("mode"),
            "toolConfig.functionCallingConfig.mode",
            List.of("MODE_UNSPECIFIED", "AUTO", "ANY", "NONE", "VALIDATED"));
    JsonNode allowed =
        calling.has("allowedFunctionNames") ? calling.get("allowedFunctionNames") : calling.get("allowed_function_names");
    return switch (mode) {
      case "NONE" -> new ToolChoice(ToolChoice.Mode.none, null, null);
      case "ANY" ->
          allowed != null && allowed.isArray() && allowed.size() == 1 && allowed.get(0).isTextual()
              ? new ToolChoice(ToolChoice.Mode.tool, allowed.get(0).textValue(), null)
              : new ToolChoice(ToolChoice.Mode.required, null, null);
      default -> new ToolChoice(ToolChoice.Mode.auto, null, null);
    };
  }

  private static GenerationParams params(ObjectNode body) {
    ObjectNode config = optObject(body, "generationConfig", "generation_config");
    if (config == null) {
      return GenerationParams.defaults();
    }
    String path = "generationConfig";
    JsonNode responseFormat = null;
    String mimeType = optString(config, "responseMimeType", "response_mime_type");
    if ("application/json".equals(mimeType)) {
      ObjectNode schema = optObject(config, "responseJsonSchema", "response_json_schema");
      if (schema == null) {
        schema = optObject(config, "responseSchema", "response_schema");
      }
      ObjectNode format = Json.mapper().createObjectNode();
      if (schema == null) {
        format.put("type", "json_object");
      } else {
        format.put("type", "json_schema");
        format.putObject("json_schema").put("name", "response").set("schema", schema);
      }
      responseFormat = format;
    }
    Long budget = null;
    ObjectNode thinking = optObject(config, "thinkingConfig", "thinking_config");
    if (thinking != null) {
      budget = Fields.optLong(thinking, "thinkingBudget", path + ".thinkingConfig.thinkingBudget");
      if (budget != null && budget < 0) {
        budget = null; // -1: dynamic thinking, the provider's default
      }
    }
    return new GenerationParams(
        Fields.optPositiveLong(config, "maxOutputTokens", path + ".maxOutputTokens"),
        Fields.optNumber(config, "temperature", path + ".temperature"),
        Fields.optNumber(config, "topP", path + ".topP"),
        Fields.stringOrStrings(config, "stopSequences", path + ".stopSequences"),
        responseFormat,
        null,
        budget,
        Fields.optLong(config, "seed", path + ".seed"),
        null);
  }

  private static @Nullable ObjectNode optObject(ObjectNode parent, String camel, String snake) {
    String field = Fields.present(parent, camel) ? camel : snake;
    return Fields.optObject(parent, field, camel);
  }

  private static @Nullable String optString(ObjectNode parent, String camel, String snake) {
    String field = Fields.present(parent, camel) ? camel : snake;
    return Fields.optString(parent, field, camel);
  }

  private static String requiredString(ObjectNode parent, String camel, String snake, String path) {
    String field = Fields.present(parent, camel) ? camel : snake;
    return Fields.requiredString(parent, field, path);
  }
}
