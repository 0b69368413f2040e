package dev.tollway.edge.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ChatMessage;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.ContentPart;
import dev.tollway.edge.llm.GenerationParams;
import dev.tollway.edge.llm.ToolCall;
import dev.tollway.edge.llm.ToolChoice;
import dev.tollway.edge.llm.ToolDefinition;
import dev.tollway.edge.provider.wire.Reasoning;
import dev.tollway.edge.provider.wire.ToolArguments;
import dev.tollway.schemas.serde.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Encodes a request for Gemini {@code generateContent}. From the neutral model: {@code contents} with roles
 * {@code user} and {@code model} (consecutive same-role turns merged, so parallel function responses share
 * one turn), parts {@code text}, {@code inlineData}, {@code fileData} (image URLs), {@code functionCall} and
 * {@code functionResponse} (named after the call it answers, found by the tool call id in the earlier
 * assistant messages); {@code systemInstruction}; {@code tools[].functionDeclarations} with the JSON Schema
 * as {@code parametersJsonSchema}; {@code toolConfig}; {@code generationConfig} with JSON mode as
 * {@code responseMimeType} and {@code responseJsonSchema}, and thinking as {@code thinkingConfig}. The model
 * goes in the path, not the body. A request that came in as Gemini keeps its body unchanged.
 */
final class GeminiRequestEncoder {

  private GeminiRequestEncoder() {}

  static ObjectNode encode(ChatRequest request) {
    if (request.format() == ChatFormat.GEMINI_GENERATE_CONTENT && request.original() instanceof ObjectNode original) {
      return original.deepCopy();
    }
    ObjectNode body = Json.mapper().createObjectNode();
    body.set("contents", contents(request.messages()));
    String system = system(request.messages());
    if (!system.isEmpty()) {
      body.putObject("systemInstruction").putArray("parts").addObject().put("text", system);
    }
    if (!request.tools().isEmpty()) {
      ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
      for (ToolDefinition tool : request.tools()) {
        ObjectNode declaration = declarations.addObject().put("name", tool.name());
        if (tool.description() != null) {
          declaration.put("description", tool.description());
        }
        declaration.set("parametersJsonSchema", tool.parameters());
      }
      toolConfig(body, request.toolChoice());
    }
    ObjectNode generation = generationConfig(request.params());
    if (!generation.isEmpty()) {
      body.set("generationConfig", generation);
    }
    return body;
  }

  private static String system(List<ChatMessage> messages) {
    List<String> parts = new ArrayList<>();
    for (ChatMessage message : messages) {
      if (message.role() == ChatMessage.Role.system && !message.text().isEmpty()) {
        parts.add(message.text());
      }
    }
    return String.join("\n\n", parts);
  }

  private static ArrayNode contents(List<ChatMessage> messages) {
    Map<String, String> callNames = new HashMap<>();
    ArrayNode contents = Json.mapper().createArrayNode();
    String currentRole = null;
    ArrayNode currentParts = null;
    for (ChatMessage message : messages) {
      if (message.role() == ChatMessage.Role.system) {
        continue;
      }
      String role = message.role() == ChatMessage.Role.assistant ? "model" : "user";
      ArrayNode parts = parts(message, callNames);
      if (parts.isEmpty()) {
        continue;
      }
      if (role.equals(currentRole) && currentParts != null) {
        currentParts.addAll(parts);
      } else {
        ObjectNode content = contents.addObject().put("role", role);
        currentParts = content.putArray("parts");
        currentParts.addAll(parts);
        currentRole = role;
      }
    }
    return contents;
  }

  private static ArrayNode parts(ChatMessage message, Map<String, String> callNames) {
    ArrayNode parts = Json.mapper().createArrayNode();
    if (message.role() == ChatMessage.Role.tool) {
      String name = message.toolCallId() == null ? null : callNames.get(message.toolCallId());
      if (name == null) {
        name = message.name();
      }
      if (name == null) {
        throw new GatewayException(
            ErrorReason.INVALID_REQUEST,
            "tool result " + message.toolCallId() + ": no earlier tool call with this id (Gemini needs the function name)");
      }
      ObjectNode response = parts.addObject().putObject("functionResponse");
      response.put("name", name);
      response.set("response", functionResponse(message.text()));
      return parts;
    }
    for (ContentPart part : message.content()) {
      if (part instanceof ContentPart.Text text) {
        if (!text.text().isEmpty()) {
          parts.addObject().put("text", text.text());
        }
      } else if (part instanceof ContentPart.Image image) {
        if (image.url() != null) {
          ObjectNode fileData = parts.addObject().putObject("fileData");
          if (image.mediaType() != null) {
            fileData.put("mimeType", image.mediaType());
          }
          fileData.put("fileUri", image.url());
        } else {
          ObjectNode inline = parts.addObject().putObject("inlineData");
          inline.put("mimeType", image.mediaType() == null ? "image/png" : image.mediaType());
          inline.put("data", image.base64Data() == null ? "" : image.base64Data());
        }
      }
      // reasoning is not sent back to Gemini
    }
    for (ToolCall call : message.toolCalls()) {
      callNames.put(call.id(), call.name());
      ObjectNode functionCall = parts.addObject().putObject("functionCall");
      functionCall.put("name", call.name());
      functionCall.set(
          "args",
          ToolArguments.parse(call.arguments())
              .orElseThrow(
                  () ->
                      new GatewayException(
                          ErrorReason.INVALID_REQUEST,
                          "tool call " + call.id() + ": arguments are not a JSON object")));
    }
    return parts;
  }

  /** A tool result as Gemini's response object: a JSON object as it is, any other value under {@code content}. */
  private static ObjectNode functionResponse(String text) {
    JsonNode value = ToolArguments.parseValue(text).orElse(null);
    if (value instanceof ObjectNode object) {
      return object;
    }
    ObjectNode wrapped = Json.mapper().createObjectNode();
    if (value != null) {
      wrapped.set("content", value);
    } else {
      wrapped.put("content", text);
    }
    return wrapped;
  }

  private static void toolConfig(ObjectNode body, @Nullable ToolChoice choice) {
    if (choice == null) {
      return;
    }
    ObjectNode config = Json.mapper().createObjectNode();
    switch (choice.mode()) {
      case auto -> config.put("mode", "AUTO");
      case none -> config.put("mode", "NONE");
      case required -> config.put("mode", "ANY");
      case tool -> {
        config.put("mode", "ANY");
        if (choice.name() != null) {
          config.putArray("allowedFunctionNames").add(choice.name());
        }
      }
    }
    body.putObject("toolConfig").set("functionCallingConfig", config);
  }

  private static ObjectNode generationConfig(GenerationParams params) {
    ObjectNode config = Json.mapper().createObjectNode();
    if (params.maxTokens() != null) {
      config.put("maxOutputTokens", params.maxTokens());
    }
    if (params.temperature() != null) {
      config.put("temperature", params.temperature());
    }
    if (params.topP() != null) {
      config.put("topP", params.topP());
    }
    if (!params.stop().isEmpty()) {
      ArrayNode stop = config.putArray("stopSequences");
      params.stop().forEach(stop::add);
    }
    if (params.seed() != null) {
      config.put("seed", params.seed());
    }
    JsonNode format = params.responseFormat();
    if (format != null) {
      String type = format.path("type").asText();
      if (type.equals("json_object") || type.equals("json_schema")) {
        config.put("responseMimeType", "application/json");
        JsonNode schema = format.path("json_schema").get("schema");
        if (type.equals("json_schema") && schema != null && schema.isObject()) {
          config.set("responseJsonSchema", schema);
        }
      }
    }
    Long budget = Reasoning.requestedBudget(params.reasoningBudgetTokens(), params.reasoningEffort());
    if (budget != null) {
      ObjectNode thinking = config.putObject("thinkingConfig").put("thinkingBudget", budget);
      if (budget > 0) {
        thinking.put("includeThoughts", true);
      }
    }
    return config;
  }
}
