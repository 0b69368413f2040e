package dev.tollway.edge.provider.gemini;

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
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes an answer as {@code streamGenerateContent?alt=sse} chunks: one {@code data:} chunk per text or
 * thought delta; a function call is sent whole (Gemini never splits one), so tool call fragments are
 * gathered and sent before the next text or with the last chunk; the last chunk carries
 * {@code finishReason} and {@code usageMetadata}. A failure is a {@code data:} chunk with Gemini's
 * {@code error} object.
 */
final class GeminiStreamEncoder implements StreamEncoder {

  private record PendingCall(String name, StringBuilder arguments) {}

  private final ChatRequest request;
  private final IdSource ids;
  private final Map<Integer, PendingCall> pending = new LinkedHashMap<>();
  private @Nullable String id;
  private @Nullable String model;
  private @Nullable TokenCounts usage;
  private @Nullable FinishReason finish;

  GeminiStreamEncoder(ChatRequest request, IdSource ids) {
    this.request = request;
    this.ids = ids;
  }

  @Override
  public byte[] encode(ChatEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (event instanceof ChatEvent.Start start) {
      id = start.id();
      model = start.model();
    } else if (event instanceof ChatEvent.Usage u) {
      usage = u.counts();
    } else if (event instanceof ChatEvent.Finish f) {
      finish = f.reason();
    } else if (event instanceof ChatEvent.TextDelta text) {
      flushCalls(out);
      ObjectNode chunk = chunk();
      parts(chunk).addObject().put("text", text.text());
      write(out, chunk);
    } else if (event instanceof ChatEvent.ReasoningDelta reasoning) {
      if (!reasoning.text().isEmpty()) {
        flushCalls(out);
        ObjectNode chunk = chunk();
        parts(chunk).addObject().put("text", reasoning.text()).put("thought", true);
        write(out, chunk);
      }
    } else if (event instanceof ChatEvent.ToolCallStart call) {
      pending.put(call.index(), new PendingCall(call.name(), new StringBuilder()));
    } else if (event instanceof ChatEvent.ToolCallDelta call) {
      PendingCall target = pending.get(call.index());
      if (target != null) {
        target.arguments().append(call.argumentsFragment());
      }
    }
    return out.toByteArray();
  }

  @Override
  public byte[] finish(@Nullable GatewayException error) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (error != null) {
      out.writeBytes(SseWriter.data(GeminiErrors.encode(error).toString()));
      return out.toByteArray();
    }
    ObjectNode chunk = chunk();
    ArrayNode parts = parts(chunk);
    for (PendingCall call : pending.values()) {
      parts.add(GeminiResponses.functionCallPart(call.name(), call.arguments().toString()));
    }
    pending.clear();
    if (parts.isEmpty()) {
      parts.addObject().put("text", "");
    }
    ObjectNode candidate = (ObjectNode) chunk.get("candidates").get(0);
    candidate.put("finishReason", GeminiResponses.finishReason(finish));
    if (usage != null) {
      chunk.set("usageMetadata", GeminiUsage.encode(usage));
    }
    write(out, chunk);
    return out.toByteArray();
  }

  private void flushCalls(ByteArrayOutputStream out) {
    if (pending.isEmpty()) {
      return;
    }
    ObjectNode chunk = chunk();
    ArrayNode parts = parts(chunk);
    for (PendingCall call : pending.values()) {
      parts.add(GeminiResponses.functionCallPart(call.name(), call.arguments().toString()));
    }
    pending.clear();
    write(out, chunk);
  }

  private ObjectNode chunk() {
    if (id == null) {
      id = ids.next("");
    }
    ObjectNode chunk = Json.mapper().createObjectNode();
    ObjectNode candidate = chunk.putArray("candidates").addObject();
    ObjectNode content = candidate.putObject("content");
    content.putArray("parts");
    content.put("role", "model");
    candidate.put("index", 0);
    return chunk;
  }

  private static ArrayNode parts(ObjectNode chunk) {
    return (ArrayNode) chunk.get("candidates").get(0).get("content").get("parts");
  }

  private void write(ByteArrayOutputStream out, ObjectNode chunk) {
    String name = model != null ? model : request.model();
    if (name != null) {
      chunk.put("modelVersion", name);
    }
    chunk.put("responseId", id);
    out.writeBytes(SseWriter.data(chunk.toString()));
  }
}
