package dev.tollway.edge.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.FinishReason;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.edge.provider.wire.IdSource;
import dev.tollway.edge.provider.wire.SseJsonDecoder;
import dev.tollway.edge.sse.SseEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes an OpenAI {@code chat.completion.chunk} stream: the first chunk starts the answer, {@code delta}
 * content, {@code reasoning_content} and {@code tool_calls} become deltas, {@code finish_reason} the finish,
 * a {@code usage} object (the last chunk when usage was asked) the usage, and {@code data: [DONE]} marks the
 * stream complete. An {@code error} object in the stream is a failure.
 */
final class OpenAiStreamDecoder extends SseJsonDecoder {

  private final IdSource ids;
  private final Set<Integer> startedCalls = new HashSet<>();
  private boolean started;
  private boolean done;

  OpenAiStreamDecoder(IdSource ids) {
    super("openai");
    this.ids = ids;
  }

  @Override
  public boolean completed() {
    return done;
  }

  @Override
  protected boolean onText(SseEvent event, List<ChatEvent> out) {
    if (event.data().strip().equals("[DONE]")) {
      done = true;
      return true;
    }
    return false;
  }

  @Override
  protected void onEvent(SseEvent event, JsonNode chunk, List<ChatEvent> out) {
    JsonNode error = chunk.get("error");
    if (error != null && error.isObject()) {
      String message = Fields.text(error, "message");
      out.add(new ChatEvent.Failure(OpenAiErrors.decodeStreamError(error, message)));
      return;
    }
    if (!started) {
      started = true;
      out.add(new ChatEvent.Start(Fields.text(chunk, "id"), Fields.text(chunk, "model")));
    }
    JsonNode choices = chunk.get("choices");
    if (choices != null && choices.isArray() && !choices.isEmpty()) {
      JsonNode choice = choices.get(0);
      JsonNode delta = choice.get("delta");
      if (delta != null && delta.isObject()) {
        delta(delta, out);
      }
      FinishReason finish = OpenAiResponses.finishReason(Fields.text(choice, "finish_reason"));
      if (finish != null) {
        out.add(new ChatEvent.Finish(finish));
      }
    }
    TokenCounts usage = OpenAiUsage.decode(chunk.get("usage"));
    if (usage != null) {
      out.add(new ChatEvent.Usage(usage));
    }
  }

  private void delta(JsonNode delta, List<ChatEvent> out) {
    String reasoning = Fields.text(delta, "reasoning_content");
    if (reasoning == null) {
      reasoning = Fields.text(delta, "reasoning");
    }
    if (reasoning != null && !reasoning.isEmpty()) {
      out.add(new ChatEvent.ReasoningDelta(reasoning, null));
    }
    String content = Fields.text(delta, "content");
    if (content == null) {
      content = Fields.text(delta, "refusal");
    }
    if (content != null && !content.isEmpty()) {
      out.add(new ChatEvent.TextDelta(content));
    }
    JsonNode calls = delta.get("tool_calls");
    if (calls == null || !calls.isArray()) {
      return;
    }
    for (JsonNode call : calls) {
      JsonNode indexNode = call.get("index");
      int index = indexNode != null && indexNode.canConvertToInt() ? indexNode.intValue() : 0;
      JsonNode function = call.get("function");
      if (!startedCalls.contains(index)) {
        String name = Fields.text(function, "name");
        if (name == null) {
          continue; // arguments before the call's name: nothing to attach them to
        }
        String id = Fields.text(call, "id");
        startedCalls.add(index);
        out.add(new ChatEvent.ToolCallStart(index, id == null ? ids.next("call_") : id, name));
      }
      String arguments = Fields.text(function, "arguments");
      if (arguments != null && !arguments.isEmpty()) {
        out.add(new ChatEvent.ToolCallDelta(index, arguments));
      }
    }
  }
}
