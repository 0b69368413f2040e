package dev.tollway.edge.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.edge.provider.wire.IdSource;
import dev.tollway.edge.provider.wire.SseJsonDecoder;
import dev.tollway.edge.sse.SseEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decodes a Responses API event stream: {@code response.created} starts the answer; text, refusal and
 * reasoning (summary or raw) deltas become deltas; a {@code function_call} output item starts a tool call
 * whose {@code function_call_arguments.delta} events carry its arguments; {@code response.completed} or
 * {@code response.incomplete} carries the usage and the finish and marks the stream complete;
 * {@code response.failed} and {@code error} events are failures.
 */
final class ResponsesStreamDecoder extends SseJsonDecoder {

  private final IdSource ids;
  private final Map<String, Integer> callIndexes = new HashMap<>();
  private boolean started;
  private boolean done;

  ResponsesStreamDecoder(IdSource ids) {
    super("openai");
    this.ids = ids;
  }

  @Override
  public boolean completed() {
    return done;
  }

  @Override
  protected void onEvent(SseEvent event, JsonNode data, List<ChatEvent> out) {
    String type = Fields.text(data, "type");
    if (type == null) {
      type = event.event() == null ? "" : event.event();
    }
    switch (type) {
      case "response.created", "response.in_progress" -> start(data.path("response"), out);
      case "response.output_item.added" -> {
        start(data.path("response"), out);
        JsonNode item = data.path("item");
        if ("function_call".equals(Fields.text(item, "type"))) {
          String name = Fields.text(item, "name");
          if (name == null) {
            return;
          }
          int index = callIndexes.size();
          String itemId = Fields.text(item, "id");
          String callId = Fields.text(item, "call_id");
          callIndexes.put(itemId == null ? "#" + index : itemId, index);
          out.add(new ChatEvent.ToolCallStart(index, callId == null ? ids.next("call_") : callId, name));
          String arguments = Fields.text(item, "arguments");
          if (arguments != null && !arguments.isEmpty()) {
            out.add(new ChatEvent.ToolCallDelta(index, arguments));
          }
        }
      }
      case "response.function_call_arguments.delta" -> {
        Integer index = callIndexes.get(String.valueOf(Fields.text(data, "item_id")));
        String delta = Fields.text(data, "delta");
        if (index != null && delta != null && !delta.isEmpty()) {
          out.add(new ChatEvent.ToolCallDelta(index, delta));
        }
      }
      case "response.output_text.delta", "response.refusal.delta" -> {
        start(data.path("response"), out);
        String delta = Fields.text(data, "delta");
        if (delta != null && !delta.isEmpty()) {
          out.add(new ChatEvent.TextDelta(delta));
        }
      }
      case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" -> {
        String delta = Fields.text(data, "delta");
        if (delta != null && !delta.isEmpty()) {
          out.add(new ChatEvent.ReasoningDelta(delta, null));
        }
      }
      case "response.completed", "response.incomplete" -> {
        JsonNode response = data.path("response");
        start(response, out);
        TokenCounts usage = ResponsesUsage.decode(response.get("usage"));
        if (usage != null) {
          out.add(new ChatEvent.Usage(usage));
        }
        out.add(new ChatEvent.Finish(ResponsesAnswers.finishReason(response, !callIndexes.isEmpty())));
        done = true;
      }
      case "response.failed" -> {
        JsonNode error = data.path("response").path("error");
        out.add(new ChatEvent.Failure(failure(Fields.text(error, "code"), Fields.text(error, "message"))));
      }
      case "error" -> out.add(new ChatEvent.Failure(failure(Fields.text(data, "code"), Fields.text(data, "message"))));
      default -> {
        // item and part bookkeeping (added / done), in-progress searches: nothing the answer needs
      }
    }
  }

  private void start(JsonNode response, List<ChatEvent> out) {
    if (!started) {
      started = true;
      out.add(new ChatEvent.Start(Fields.text(response, "id"), Fields.text(response, "model")));
    }
  }

  private static GatewayException failure(@Nullable String code, @Nullable String message) {
    ErrorReason reason = "rate_limit_exceeded".equals(code) ? ErrorReason.UPSTREAM_RATE_LIMITED : ErrorReason.UPSTREAM_ERROR;
    return new GatewayException(reason, "openai stream error: " + (message == null ? "no message" : message));
  }
}
