package dev.tollway.edge.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.ChatResponse;
import dev.tollway.edge.llm.ContentPart;
import dev.tollway.edge.llm.FinishReason;
import dev.tollway.edge.llm.ToolCall;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.edge.provider.wire.IdSource;
import dev.tollway.edge.provider.wire.ToolArguments;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import dev.tollway.schemas.serde.Json;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Non-streamed Anthropic answers: the {@code message} object, both ways. */
final class AnthropicResponses {

  private final IdSource ids;

  AnthropicResponses(IdSource ids) {
    this.ids = ids;
  }

  static ChatResponse decode(JsonNode body) {
    JsonNode blocks = body.get("content");
    if (!body.isObject() || blocks == null || !blocks.isArray()) {
      throw UpstreamErrors.malformed("anthropic", "a body without content");
    }
    List<ContentPart> content = new ArrayList<>();
    List<ToolCall> toolCalls = new ArrayList<>();
    for (JsonNode block : blocks) {
      String type = Fields.text(block, "type");
      if ("text".equals(type)) {
        String text = Fields.text(block, "text");
        content.add(new ContentPart.Text(text == null ? "" : text));
      } else if ("thinking".equals(type)) {
        String thinking = Fields.text(block, "thinking");
        content.add(new ContentPart.Reasoning(thinking == null ? "" : thinking, Fields.text(block, "signature")));
      } else if ("tool_use".equals(type)) {
        String id = Fields.text(block, "id");
        String name = Fields.text(block, "name");
        if (id != null && name != null) {
          toolCalls.add(new ToolCall(id, name, ToolArguments.text(block.path("input"))));
        }
      }
      // server tool blocks and redacted thinking have no neutral form
    }
    JsonNode usage = body.get("usage");
    return new ChatResponse(
        Fields.text(body, "id"),
        Fields.text(body, "model"),
        content,
        toolCalls,
        finishReason(Fields.text(body, "stop_reason")),
        usage != null && usage.isObject() ? AnthropicUsage.decode(usage) : null,
        null,
        ChatFormat.ANTHROPIC_MESSAGES,
        body);
  }

  static @Nullable FinishReason finishReason(@Nullable String stopReason) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> FinishReason.length;
      case "tool_use" -> FinishReason.tool_calls;
      case "refusal" -> FinishReason.content_filter;
      default -> FinishReason.stop; // end_turn, stop_sequence, pause_turn
    };
  }

  static String stopReason(@Nullable FinishReason finish) {
    if (finish == null) {
      return "end_turn";
    }
    return switch (finish) {
      case stop -> "end_turn";
      case length -> "max_tokens";
      case tool_calls -> "tool_use";
      case content_filter -> "refusal";
    };
  }

  ObjectNode encode(ChatResponse response, ChatRequest request) {
    if (response.format() == ChatFormat.ANTHROPIC_MESSAGES && response.original() instanceof ObjectNode original) {
      return original.deepCopy();
    }
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("id", response.id() != null ? response.id() : ids.next("msg_"));
    body.put("type", "message");
    body.put("role", "assistant");
    String model = response.model() != null ? response.model() : request.model();
    if (model != null) {
      body.put("model", model);
    }
    ArrayNode content = body.putArray("content");
    for (ContentPart part : response.content()) {
      if (part instanceof ContentPart.Reasoning reasoning) {
        ObjectNode block = content.addObject().put("type", "thinking").put("thinking", reasoning.text());
        block.put("signature", reasoning.signature() == null ? "" : reasoning.signature());
      } else if (part instanceof ContentPart.Text text) {
        content.addObject().put("type", "text").put("text", text.text());
      }
    }
    for (ToolCall call : response.toolCalls()) {
      ObjectNode block = content.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name());
      block.set(
          "input",
          ToolArguments.parse(call.arguments())
              .orElseThrow(
                  () ->
                      UpstreamErrors.malformed(
                          "the provider", "tool call " + call.id() + " whose arguments are not a JSON object")));
    }
    FinishReason finish = response.finishReason();
    if (finish == null && !response.toolCalls().isEmpty()) {
      finish = FinishReason.tool_calls;
    }
    body.put("stop_reason", stopReason(finish));
    body.putNull("stop_sequence");
    body.set(
        "usage",
        AnthropicUsage.encode(
            response.usage() == null ? dev.tollway.edge.llm.TokenCounts.ZERO : response.usage()));
    return body;
  }
}
