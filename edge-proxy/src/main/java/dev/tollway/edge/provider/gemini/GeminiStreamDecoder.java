package dev.tollway.edge.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.FinishReason;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.edge.provider.wire.IdSource;
import dev.tollway.edge.provider.wire.SseJsonDecoder;
import dev.tollway.edge.sse.SseEvent;
import java.util.List;

/**
 * Decodes {@code streamGenerateContent?alt=sse}: every {@code data:} is a whole
 * {@code GenerateContentResponse} chunk. Text parts become text (or reasoning when {@code thought: true}),
 * each {@code functionCall} a complete tool call (start and all its arguments at once), the cumulative
 * {@code usageMetadata} the usage. Gemini sends no end marker: the stream is complete when a chunk carried a
 * {@code finishReason} and the body then ended. An {@code error} object in the stream is a failure.
 */
final class GeminiStreamDecoder extends SseJsonDecoder {

  private final IdSource ids;
  private boolean started;
  private int toolCalls;
  private boolean finished;
  private boolean ended;

  GeminiStreamDecoder(IdSource ids) {
    super("gemini");
    this.ids = ids;
  }

  @Override
  public boolean completed() {
    return finished && ended;
  }

  @Override
  protected List<ChatEvent> onEnd() {
    ended = true;
    return List.of();
  }

  @Override
  protected void onEvent(SseEvent event, JsonNode chunk, List<ChatEvent> out) {
    JsonNode error = chunk.get("error");
    if (error != null && error.isObject()) {
      out.add(new ChatEvent.Failure(GeminiErrors.streamError(error)));
      return;
    }
    if (!started) {
      started = true;
      out.add(new ChatEvent.Start(Fields.text(chunk, "responseId"), Fields.text(chunk, "modelVersion")));
    }
    JsonNode candidates = chunk.path("candidates");
    String finishReason = null;
    if (candidates.isArray() && !candidates.isEmpty()) {
      JsonNode candidate = candidates.get(0);
      for (JsonNode part : candidate.path("content").path("parts")) {
        String text = Fields.text(part, "text");
        if (text != null && !text.isEmpty()) {
          if (part.path("thought").asBoolean(false)) {
            out.add(new ChatEvent.ReasoningDelta(text, null));
          } else {
            out.add(new ChatEvent.TextDelta(text));
          }
        }
        String signature = Fields.text(part, "thoughtSignature");
        if (signature != null && part.path("thought").asBoolean(false)) {
          out.add(new ChatEvent.ReasoningDelta("", signature));
        }
        JsonNode call = part.get("functionCall");
        if (call != null && call.isObject() && Fields.text(call, "name") != null) {
          String id = Fields.text(call, "id");
          int index = toolCalls++;
          out.add(new ChatEvent.ToolCallStart(index, id == null ? ids.next("call_") : id, Fields.text(call, "name")));
          out.add(new ChatEvent.ToolCallDelta(index, dev.tollway.edge.provider.wire.ToolArguments.text(call.path("args"))));
        }
      }
      finishReason = Fields.text(candidate, "finishReason");
    } else if (chunk.path("promptFeedback").hasNonNull("blockReason")) {
      finishReason = "SAFETY";
    }
    if (finishReason != null) {
      finished = true;
      FinishReason finish = GeminiResponses.finishReason(finishReason, toolCalls > 0);
      out.add(new ChatEvent.Finish(finish == null ? FinishReason.stop : finish));
    }
    TokenCounts usage = GeminiUsage.decode(chunk.get("usageMetadata"));
    if (usage != null) {
      out.add(new ChatEvent.Usage(usage));
    }
  }
}
