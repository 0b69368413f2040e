package dev.tollway.edge.provider.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ChatMessage;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.ContentPart;
import dev.tollway.edge.llm.GenerationParams;
import dev.tollway.edge.llm.ToolCall;
import dev.tollway.edge.llm.ToolChoice;
import dev.tollway.edge.llm.ToolDefinition;
import dev.tollway.edge.provider.wire.Reasoning;
import dev.tollway.schemas.serde.Json;
import org.jspecify.annotations.Nullable;

/**
 * Encodes a request for an OpenAI Responses provider. A request that came in as Responses keeps the client's
 * body with only {@code model} and {@code stream} patched. Any other is built from the neutral model: every
 * message as an input item in order (system messages with role {@code system}), tool calls as
 * {@code function_call} items and tool results as {@code function_call_output} items, function tools with
 * {@code strict: false} (Chat Completions' default; Responses would otherwise make them strict), JSON mode as
 * {@code text.format}, and {@code store: false}: a translated conversation is not left stored at OpenAI.
 */
final class ResponsesRequestEncoder {

  private ResponsesRequestEncoder() {}

  static ObjectNode encode(ChatRequest request) {
    if (request.format() == ChatFormat.OPENAI_RESPONSES && request.original() instanceof ObjectNode original) {
      ObjectNode body = original.deepCopy();
      if (request.model() != null) {
        body.put("model", request.model());
      }
      if (request.stream()) {
        body.put("stream", true);
      }
      return body;
    }
    return build(request);
  }

  private static ObjectNode build(ChatRequest request) {
    ObjectNode body = Json.mapper().createObjectNode();
    if (request.model() != null) {
      body.put("model", request.model());
    }
    ArrayNode input = body.putArray("input");
    for (ChatMessage message : request.messages()) {
      items(message, input);
    }
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition tool : request.tools()) {
        ObjectNode entry = tools.addObject().put("type", "function").put("name", tool.name());
        if (tool.description() != null) {
          entry.put("description", tool.description());
        }
        entry.set("parameters", tool.parameters());
        entry.put("strict", false);
      }
      toolChoice(body, request.toolChoice());
    }
    params(body, request.params());
    body.put("store", false);
    if (request.stream()) {
      body.put("stream", true);
    }
    return body;
  }

  private static void items(ChatMessage message, ArrayNode input) {
    switch (message.role()) {
      case system -> input.addObject().put("role", "system").put("content", message.text());
      case tool -> input.addObject()
          .put("type", "function_call_output")
          .put("call_id", message.toolCallId() == null ? "" : message.toolCallId())
          .put("output", message.text());
      case assistant -> {
        String text = message.text();
        if (!text.isEmpty()) {
          input.addObject().put("role", "assistant").put("content", text);
        }
        for (ToolCall call : message.toolCalls()) {
          input.addObject()
              .put("type", "function_call")
              .put("call_id", call.id())
              .put("name", call.name())
              .put("arguments", call.arguments().isEmpty() ? "{}" : call.arguments());
        }
      }
      case user -> {
        ObjectNode item = input.addObject().put("role", "user");
        boolean onlyText = message.content().stream().allMatch(p -> p instanceof ContentPart.Text);
        if (onlyText) {
          item.put("content", message.text());
          return;
        }
        ArrayNode parts = item.putArray("content");
        for (ContentPart part : message.content()) {
          if (part instanceof ContentPart.Text text) {
            parts.addObject().put("type", "input_text").put("text", text.text());
          } else if (part instanceof ContentPart.Image image) {
            ObjectNode entry = parts.addObject().put("type", "input_image");
            entry.put("image_url", image.url() != null
                ? image.url()
                : new DataUrl(image.mediaType() == null ? "application/octet-stream" : image.mediaType(),
                    image.base64Data() == null ? "" : image.base64Data()).url());
            entry.put("detail", image.detail() == null ? "auto" : image.detail());
          }
        }
      }
    }
  }

  private static void toolChoice(ObjectNode body, @Nullable ToolChoice choice) {
    if (choice == null) {
      return;
    }
    if (choice.mode() == ToolChoice.Mode.tool && choice.name() != null) {
      body.putObject("tool_choice").put("type", "function").put("name", choice.name());
    } else if (choice.mode() != ToolChoice.Mode.tool) {
      body.put("tool_choice", choice.mode().name());
    }
    if (choice.parallel() != null) {
      body.put("parallel_tool_calls", choice.parallel());
    }
  }

  private static void params(ObjectNode body, GenerationParams params) {
    if (params.maxTokens() != null) {
      body.put("max_output_tokens", params.maxTokens());
    }
    if (params.temperature() != null) {
      body.put("temperature", params.temperature());
    }
    if (params.topP() != null) {
      body.put("top_p", params.topP());
    }
    if (params.responseFormat() != null) {
      ObjectNode format = body.putObject("text").putObject("format");
      String type = params.responseFormat().path("type").asText("json_object");
      format.put("type", type);
      if (type.equals("json_schema")) {
        var schema = params.responseFormat().path("json_schema");
        format.put("name", schema.path("name").asText("response"));
        if (schema.hasNonNull("description")) {
          format.set("description", schema.get("description"));
        }
        format.set("schema", schema.path("schema").isObject()
            ? schema.get("schema")
            : Json.mapper().createObjectNode().put("type", "object"));
        if (schema.hasNonNull("strict")) {
          format.set("strict", schema.get("strict"));
        }
      }
    }
    String effort = params.reasoningEffort();
    if (effort == null && params.reasoningBudgetTokens() != null) {
      effort = Reasoning.effortFor(params.reasoningBudgetTokens());
    }
    if (effort != null) {
      body.putObject("reasoning").put("effort", effort);
    }
    if (params.user() != null) {
      body.put("user", params.user());
    }
  }
}
