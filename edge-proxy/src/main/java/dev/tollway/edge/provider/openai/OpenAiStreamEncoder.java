package dev.tollway.edge.provider.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.StreamEncoder;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.wire.IdSource;
import dev.tollway.edge.sse.SseWriter;
import dev.tollway.schemas.serde.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * Writes an answer as OpenAI {@code chat.completion.chunk} events, the way OpenAI does: a first chunk with
 * {@code delta.role: assistant}, content and reasoning deltas, tool calls (index, id and name, then argument
 * fragments), a chunk with {@code finish_reason}, then — only when the client asked
 * {@code stream_options.include_usage} — a chunk with empty {@code choices} and the {@code usage}, then
 * {@code data: [DONE]}. While usage is asked, every other chunk carries {@code "usage": null}, as OpenAI's
 * do. A failure ends the stream with an {@code {"error": {...}}} event and no {@code [DONE]}.
 */
final class OpenAiStreamEncoder implements StreamEncoder {

  private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

  private final ChatRequest request;
  private final Clock clock;
  private final IdSource ids;
  private @Nullable String id;
  private @Nullable String model;
  private long created;
  private boolean started;
  private boolean finished;
  private @Nullable TokenCounts usage;

  OpenAiStreamEncoder(ChatRequest request, Clock clock, IdSource ids) {
    this.request = request;
    this.clock = clock;
    this.ids = ids;
  }

  @Override
  public byte[] encode(ChatEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (event instanceof ChatEvent.Start start) {
      id = start.id();
      model = start.model();
      begin(out);
      return out.toByteArray();
    }
    if (event instanceof ChatEvent.Usage u) {
      usage = u.counts();
      return out.toByteArray();
    }
    if (event instanceof ChatEvent.Failure) {
      return out.toByteArray(); // the caller ends the stream with finish(error)
    }
    begin(out);
    if (event instanceof ChatEvent.TextDelta text) {
      ObjectNode chunk = chunk();
      delta(chunk).put("content", text.text());
      write(out, chunk);
    } else if (event instanceof ChatEvent.ReasoningDelta reasoning) {
      if (!reasoning.text().isEmpty()) {
        ObjectNode chunk = chunk();
        delta(chunk).put("reasoning_content", reasoning.text());
        write(out, chunk);
      }
    } else if (event instanceof ChatEvent.ToolCallStart call) {
      ObjectNode chunk = chunk();
      ObjectNode entry = delta(chunk).putArray("tool_calls").addObject();
      entry.put("index", call.index()).put("id", call.id()).put("type", "function");
      entry.putObject("function").put("name", call.name()).put("arguments", "");
      write(out, chunk);
    } else if (event instanceof ChatEvent.ToolCallDelta call) {
      ObjectNode chunk = chunk();
      ObjectNode entry = delta(chunk).putArray("tool_calls").addObject();
      entry.put("index", call.index());
      entry.putObject("function").put("arguments", call.argumentsFragment());
      write(out, chunk);
    } else if (event instanceof ChatEvent.Finish finish) {
      if (!finished) {
        finished = true;
        ObjectNode chunk = chunk();
        delta(chunk);
        ((ObjectNode) chunk.get("choices").get(0)).put("finish_reason", finish.reason().name());
        write(out, chunk);
      }
    }
    return out.toByteArray();
  }

  @Override
  public byte[] finish(@Nullable GatewayException error) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (error != null) {
      out.writeBytes(SseWriter.data(OpenAiErrors.encode(error).toString()));
      return out.toByteArray();
    }
    begin(out);
    if (!finished) {
      out.writeBytes(encode(new ChatEvent.Finish(dev.tollway.edge.llm.FinishReason.stop)));
    }
    if (request.includeUsage() && usage != null) {
      ObjectNode chunk = header();
      chunk.putArray("choices");
      chunk.set("usage", OpenAiUsage.encode(usage));
      write(out, chunk);
    }
    out.writeBytes(DONE);
    return out.toByteArray();
  }

  private void begin(ByteArrayOutputStream out) {
    if (started) {
      return;
    }
    started = true;
    if (id == null) {
      id = ids.next("chatcmpl-");
    }
    if (model == null) {
      model = request.model();
    }
    created = clock.instant().getEpochSecond();
    ObjectNode chunk = chunk();
    delta(chunk).put("role", "assistant").put("content", "");
    write(out, chunk);
  }

  private ObjectNode header() {
    ObjectNode chunk = Json.mapper().createObjectNode();
    chunk.put("id", id);
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", created);
    if (model != null) {
      chunk.put("model", model);
    }
    return chunk;
  }

  private ObjectNode chunk() {
    ObjectNode chunk = header();
    ArrayNode choices = chunk.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    choice.putObject("delta");
    choice.putNull("logprobs");
    choice.putNull("finish_reason");
    if (request.includeUsage()) {
      chunk.putNull("usage");
    }
    return chunk;
  }

  private static ObjectNode delta(ObjectNode chunk) {
    return (ObjectNode) chunk.get("choices").get(0).get("delta");
  }

  private static void write(ByteArrayOutputStream out, ObjectNode chunk) {
    out.writeBytes(SseWriter.data(chunk.toString()));
  }
}
