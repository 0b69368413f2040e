package dev.tollway.edge.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Encodes a request for an OpenAI Chat Completions provider. A request that came in as OpenAI keeps the
 * client's body with only {@code model} and, for streams, {@code stream_options.include_usage} patched; any
 * other is built from the provider-neutral model.
 */
final class OpenAiRequestEncoder {

  private OpenAiRequestEncoder() {}

  static ObjectNode encode(ChatRequest request) {
    if (request.format() == ChatFormat.OPENAI_CHAT && request.original() instanceof ObjectNode original) {
      return patch(original.deepCopy(), request);
    }
    return build(request);
  }

  private static ObjectNode patch(ObjectNode body, ChatRequest request) {
    if (request.model() != null) {
      body.put("model", request.model());
    }
    if (request.stream()) {
      body.put("stream", true);
      JsonNode options = body.get("stream_options");
      ObjectNode streamOptions = options instanceof ObjectNode object ? object : body.putObject("stream_options");
      streamOptions.put("include_usage", true);
    }
    return body;
  }

  private static ObjectNode build(ChatRequest request) {
    ObjectNode body = Json.mapper().createObjectNode();
    if (request.model() != null) {
      body.put("model", request.model());
    }
    ArrayNode messages = body.putArray("messages");
    for (ChatMessage message : request.messages()) {
      messages.add(message(message));
    }
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition tool : request.tools()) {
        ObjectNode function = tools.addObject().put("type", "function").putObject("function");
        function.put("name", tool.name());
        if (tool.description() != null) {
          function.put("description", tool.description());
        }
        function.set("parameters", tool.parameters());
      }
      toolChoice(body, request.toolChoice());
    }
    params(body, request.params());
    if (request.stream()) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
    }
    return body;
  }

  private static ObjectNode message(ChatMessage message) {
    ObjectNode out = Json.mapper().createObjectNode();
    switch (message.role()) {
      case system -> out.put("role", "system").put("content", message.text());
      case tool -> {
        out.put("role", "tool").put("content", message.text());
        if (message.toolCallId() != null) {
          out.put("tool_call_id", message.toolCallId());
        }
      }
      case assistant -> {
        out.put("role", "assistant");
        String text = message.text();
        if (text.isEmpty() && !message.toolCalls().isEmpty()) {
          out.putNull("content");
        } else {
          out.put("content", text);
        }
        if (!message.toolCalls().isEmpty()) {
          ArrayNode calls = out.putArray("tool_calls");
          for (ToolCall call : message.toolCalls()) {
            ObjectNode entry = calls.addObject().put("id", call.id()).put("type", "function");
            entry.putObject("function").put("name", call.name()).put("arguments", call.arguments());
          }
        }
      }
      case user -> {
        out.put("role", "user");
        userContent(out, message);
      }
    }
    if (message.name() != null && message.role() != ChatMessage.Role.tool) {
      out.put("name", message.name());
    }
    return out;
  }

  private static void userContent(ObjectNode out, ChatMessage message) {
    boolean onlyText = message.content().stream().allMatch(p -> p instanceof ContentPart.Text);
    if (onlyText && message.content().size() <= 1) {
      out.put("content", message.text());
      return;
    }
    ArrayNode parts = out.putArray("content");
    for (ContentPart part : message.content()) {
      if (part instanceof ContentPart.Text text) {
        parts.addObject().put("type", "text").put("text", text.text());
      } else if (part instanceof ContentPart.Image image) {
        ObjectNode imageUrl = parts.addObject().put("type", "image_url").putObject("image_url");
        imageUrl.put(
            "url",
            image.url() != null
                ? image.url()
                : new DataUrl(
                        image.mediaType() == null ? "application/octet-stream" : image.mediaType(),
                        image.base64Data() == null ? "" : image.base64Data())
                    .url());
        if (image.detail() != null) {
          imageUrl.put("detail", image.detail());
        }
      }
      // reasoning parts of a user message have no OpenAI form
    }
  }

  private static void toolChoice(ObjectNode body, @Nullable ToolChoice choice) {
    if (choice == null) {
      return;
    }
    if (choice.mode() == ToolChoice.Mode.tool && choice.name() != null) {
      body.putObject("tool_choice").put("type", "function").putObject("function").put("name", choice.name());
    } else if (choice.mode() != ToolChoice.Mode.tool) {
      body.put("tool_choice", choice.mode().name());
    }
    if (choice.parallel() != null) {
      body.put("parallel_tool_calls", choice.parallel());
    }
  }

  private static void params(ObjectNode body, GenerationParams params) {
    if (params.maxTokens() != null) {
      body.put("max_completion_tokens", params.maxTokens());
    }
    if (params.temperature() != null) {
      body.put("temperature", params.temperature());
    }
    if (params.topP() != null) {
      body.put("top_p", params.topP());
    }
    if (params.stop().size() == 1) {
      body.put("stop", params.stop().get(0));
    } else if (!params.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop");
      params.stop().forEach(stop::add);
    }
    if (params.responseFormat() != null) {
      body.set("response_format", params.responseFormat());
    }
    String effort = params.reasoningEffort();
    if (effort == null && params.reasoningBudgetTokens() != null) {
      effort = Reasoning.effortFor(params.reasoningBudgetTokens());
    }
    if (effort != null) {
      body.put("reasoning_effort", effort);
    }
    if (params.seed() != null) {
      body.put("seed", params.seed());
    }
    if (params.user() != null) {
      body.put("user", params.user());
    }
  }
}
