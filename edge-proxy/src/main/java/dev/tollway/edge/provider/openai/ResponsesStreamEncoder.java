package dev.tollway.edge.provider.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.FinishReason;
import dev.tollway.edge.llm.StreamEncoder;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.wire.IdSource;
import dev.tollway.edge.sse.SseWriter;
import dev.tollway.schemas.serde.Json;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes an answer as a Responses API event stream, each event named by its type and numbered by
 * {@code sequence_number}: {@code response.created} and {@code response.in_progress}; then one output item
 * at a time — a {@code reasoning} item with its summary text deltas, a {@code message} item with its
 * {@code output_text} part and text deltas, a {@code function_call} item per tool call with its argument
 * deltas — each opened with {@code output_item.added} and closed with the {@code done} events carrying the
 * whole text; finally {@code response.completed} (or {@code response.incomplete} for a length or content
 * filter finish) with the whole response and its usage. A failure ends the stream with an {@code error}
 * event and no completion.
 */
final class ResponsesStreamEncoder implements StreamEncoder {

  private final ChatRequest request;
  private final Clock clock;
  private final IdSource ids;
  private final List<Finished> finishedItems = new ArrayList<>();
  private final Map<Integer, Call> calls = new LinkedHashMap<>();
  private @Nullable String id;
  private @Nullable String model;
  private long created;
  private boolean started;
  private int sequence;
  private int outputIndex;
  private @Nullable Open open;
  private @Nullable FinishReason finish;
  private @Nullable TokenCounts usage;

  ResponsesStreamEncoder(ChatRequest request, Clock clock, IdSource ids) {
    this.request = request;
    this.clock = clock;
    this.ids = ids;
  }

  /** A closed output item and its place in the output. */
  private record Finished(int outputIndex, ObjectNode item) {}

  /** The item being written: a reasoning or message item, with its text so far. */
  private record Open(String kind, String itemId, int outputIndex, StringBuilder text) {}

  /** A function call item, open until the stream finishes (calls may interleave). */
  private static final class Call {
    final String itemId;
    final String callId;
    final String name;
    final int outputIndex;
    final StringBuilder arguments = new StringBuilder();

    Call(String itemId, String callId, String name, int outputIndex) {
      this.itemId = itemId;
      this.callId = callId;
      this.name = name;
      this.outputIndex = outputIndex;
    }
  }

  @Override
  public byte[] encode(ChatEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (event instanceof ChatEvent.Start start) {
      id = start.id() == null ? null : "resp_" + start.id().replaceFirst("^[A-Za-z]+[_-]", "");
      model = start.model();
      begin(out);
    } else if (event instanceof ChatEvent.Usage u) {
      usage = u.counts();
    } else if (event instanceof ChatEvent.Finish f) {
      finish = f.reason();
    } else if (event instanceof ChatEvent.TextDelta text) {
      begin(out);
      Open item = openItem("message", out);
      item.text().append(text.text());
      ObjectNode delta = event("response.output_text.delta")
          .put("item_id", item.itemId()).put("output_index", item.outputIndex()).put("content_index", 0)
          .put("delta", text.text());
      delta.putArray("logprobs");
      write(out, delta);
    } else if (event instanceof ChatEvent.ReasoningDelta reasoning) {
      if (!reasoning.text().isEmpty()) {
        begin(out);
        Open item = openItem("reasoning", out);
        item.text().append(reasoning.text());
        write(out, event("response.reasoning_summary_text.delta")
            .put("item_id", item.itemId()).put("output_index", item.outputIndex()).put("summary_index", 0)
            .put("delta", reasoning.text()));
      }
    } else if (event instanceof ChatEvent.ToolCallStart start) {
      begin(out);
      closeOpen(out);
      Call call = new Call(ids.next("fc_"), start.id(), start.name(), outputIndex++);
      calls.put(start.index(), call);
      ObjectNode added = event("response.output_item.added").put("output_index", call.outputIndex);
      added.set("item", ResponsesAnswers.functionCallItem(call.itemId, call.callId, call.name, "", "in_progress"));
      write(out, added);
    } else if (event instanceof ChatEvent.ToolCallDelta delta) {
      Call call = calls.get(delta.index());
      if (call != null) {
        call.arguments.append(delta.argumentsFragment());
        write(out, event("response.function_call_arguments.delta")
            .put("item_id", call.itemId).put("output_index", call.outputIndex)
            .put("delta", delta.argumentsFragment()));
      }
    }
    return out.toByteArray();
  }

  @Override
  public byte[] finish(@Nullable GatewayException error) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (error != null) {
      ObjectNode failure = event("error")
          .put("code", error.reason().name().toLowerCase(Locale.ROOT))
          .put("message", error.getMessage());
      failure.putNull("param");
      write(out, failure);
      return out.toByteArray();
    }
    begin(out);
    closeOpen(out);
    for (Call call : calls.values()) {
      String arguments = call.arguments.toString();
      write(out, event("response.function_call_arguments.done")
          .put("item_id", call.itemId).put("output_index", call.outputIndex).put("arguments", arguments));
      ObjectNode item = ResponsesAnswers.functionCallItem(call.itemId, call.callId, call.name, arguments, "completed");
      ObjectNode done = event("response.output_item.done").put("output_index", call.outputIndex);
      done.set("item", item);
      write(out, done);
      finishedItems.add(new Finished(call.outputIndex, item));
    }
    finishedItems.sort((a, b) -> Integer.compare(a.outputIndex(), b.outputIndex()));
    ObjectNode response = response();
    ArrayNode output = response.putArray("output");
    finishedItems.forEach(finished -> output.add(finished.item()));
    FinishReason reason = finish != null ? finish : calls.isEmpty() ? FinishReason.stop : FinishReason.tool_calls;
    ResponsesAnswers.finish(response, reason, usage);
    String type = "incomplete".equals(response.path("status").asText()) ? "response.incomplete" : "response.completed";
    ObjectNode completed = event(type);
    completed.set("response", response);
    write(out, completed);
    return out.toByteArray();
  }

  private void begin(ByteArrayOutputStream out) {
    if (started) {
      return;
    }
    started = true;
    if (id == null) {
      id = ids.next("resp_");
    }
    if (model == null) {
      model = request.model();
    }
    created = clock.instant().getEpochSecond();
    ObjectNode createdEvent = event("response.created");
    createdEvent.set("response", response());
    write(out, createdEvent);
    ObjectNode progress = event("response.in_progress");
    progress.set("response", response());
    write(out, progress);
  }

  private ObjectNode response() {
    return ResponsesAnswers.skeleton(id == null ? "resp_" : id, model, created, request);
  }

  /** The open item of this kind, closing another kind first and opening one when needed. */
  private Open openItem(String kind, ByteArrayOutputStream out) {
    if (open != null && open.kind().equals(kind)) {
      return open;
    }
    closeOpen(out);
    int index = outputIndex++;
    Open item = new Open(kind, ids.next(kind.equals("message") ? "msg_" : "rs_"), index, new StringBuilder());
    open = item;
    ObjectNode added = event("response.output_item.added").put("output_index", index);
    if (kind.equals("message")) {
      added.set("item", ResponsesAnswers.messageItem(item.itemId(), "", "in_progress"));
      write(out, added);
      ObjectNode part = event("response.content_part.added")
          .put("item_id", item.itemId()).put("output_index", index).put("content_index", 0);
      part.set("part", ResponsesAnswers.outputText(""));
      write(out, part);
    } else {
      added.set("item", ResponsesAnswers.reasoningItem(item.itemId(), null));
      write(out, added);
      ObjectNode part = event("response.reasoning_summary_part.added")
          .put("item_id", item.itemId()).put("output_index", index).put("summary_index", 0);
      part.putObject("part").put("type", "summary_text").put("text", "");
      write(out, part);
    }
    return item;
  }

  private void closeOpen(ByteArrayOutputStream out) {
    Open item = open;
    if (item == null) {
      return;
    }
    open = null;
    String text = item.text().toString();
    ObjectNode finished;
    if (item.kind().equals("message")) {
      ObjectNode textDone = event("response.output_text.done")
          .put("item_id", item.itemId()).put("output_index", item.outputIndex()).put("content_index", 0)
          .put("text", text);
      textDone.putArray("logprobs");
      write(out, textDone);
      ObjectNode partDone = event("response.content_part.done")
          .put("item_id", item.itemId()).put("output_index", item.outputIndex()).put("content_index", 0);
      partDone.set("part", ResponsesAnswers.outputText(text));
      write(out, partDone);
      finished = ResponsesAnswers.messageItem(item.itemId(), text, "completed");
    } else {
      write(out, event("response.reasoning_summary_text.done")
          .put("item_id", item.itemId()).put("output_index", item.outputIndex()).put("summary_index", 0)
          .put("text", text));
      ObjectNode partDone = event("response.reasoning_summary_part.done")
          .put("item_id", item.itemId()).put("output_index", item.outputIndex()).put("summary_index", 0);
      partDone.putObject("part").put("type", "summary_text").put("text", text);
      write(out, partDone);
      finished = ResponsesAnswers.reasoningItem(item.itemId(), text);
    }
    ObjectNode done = event("response.output_item.done").put("output_index", item.outputIndex());
    done.set("item", finished);
    write(out, done);
    finishedItems.add(new Finished(item.outputIndex(), finished));
  }

  private ObjectNode event(String type) {
    return Json.mapper().createObjectNode().put("type", type).put("sequence_number", sequence++);
  }

  private static void write(ByteArrayOutputStream out, ObjectNode event) {
    out.writeBytes(SseWriter.named(event.get("type").textValue(), event.toString()));
  }
}
