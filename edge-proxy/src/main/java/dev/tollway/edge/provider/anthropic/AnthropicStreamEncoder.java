package dev.tollway.edge.provider.anthropic;

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
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes an answer as Anthropic's event sequence: {@code message_start}, then per content block
 * {@code content_block_start}, its deltas ({@code text_delta}, {@code thinking_delta},
 * {@code signature_delta}, {@code input_json_delta}) and {@code content_block_stop}, then
 * {@code message_delta} (stop reason and usage) and {@code message_stop}. {@code message_start} waits for
 * the first content so that input tokens a provider reports at its start are in it; {@code message_delta}
 * carries the final counts, input included, for providers that report usage only at the end. A failure is
 * an {@code event: error} and no {@code message_stop}.
 */
final class AnthropicStreamEncoder implements StreamEncoder {

  private enum Open {
    NONE,
    TEXT,
    THINKING,
    TOOL
  }

  private final ChatRequest request;
  private final IdSource ids;
  private final Map<Integer, Integer> toolBlocks = new HashMap<>();
  private @Nullable String id;
  private @Nullable String model;
  private TokenCounts usage = TokenCounts.ZERO;
  private @Nullable FinishReason finish;
  private boolean started;
  private Open open = Open.NONE;
  private int openIndex = -1;
  private int nextIndex;

  AnthropicStreamEncoder(ChatRequest request, IdSource ids) {
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
      begin(out);
      ensureOpen(out, Open.TEXT, null);
      delta(out, Json.mapper().createObjectNode().put("type", "text_delta").put("text", text.text()));
    } else if (event instanceof ChatEvent.ReasoningDelta reasoning) {
      begin(out);
      ensureOpen(out, Open.THINKING, null);
      if (!reasoning.text().isEmpty()) {
        delta(out, Json.mapper().createObjectNode().put("type", "thinking_delta").put("thinking", reasoning.text()));
      }
      if (reasoning.signature() != null) {
        delta(
            out,
            Json.mapper().createObjectNode().put("type", "signature_delta").put("signature", reasoning.signature()));
      }
    } else if (event instanceof ChatEvent.ToolCallStart call) {
      begin(out);
      close(out);
      ObjectNode block =
          Json.mapper().createObjectNode().put("type", "tool_use").put("id", call.id()).put("name", call.name());
      block.putObject("input");
      toolBlocks.put(call.index(), nextIndex);
      start(out, Open.TOOL, block);
    } else if (event instanceof ChatEvent.ToolCallDelta call) {
      Integer index = toolBlocks.get(call.index());
      if (index != null) {
        ObjectNode data = Json.mapper().createObjectNode().put("type", "content_block_delta").put("index", index);
        data.putObject("delta").put("type", "input_json_delta").put("partial_json", call.argumentsFragment());
        out.writeBytes(SseWriter.named("content_block_delta", data.toString()));
      }
    }
    // a Failure is written by finish(error)
    return out.toByteArray();
  }

  @Override
  public byte[] finish(@Nullable GatewayException error) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (error != null) {
      out.writeBytes(SseWriter.named("error", AnthropicErrors.encode(error).toString()));
      return out.toByteArray();
    }
    begin(out);
    close(out);
    ObjectNode messageDelta = Json.mapper().createObjectNode().put("type", "message_delta");
    messageDelta
        .putObject("delta")
        .put("stop_reason", AnthropicResponses.stopReason(finish))
        .putNull("stop_sequence");
    messageDelta.set("usage", AnthropicUsage.encode(usage));
    out.writeBytes(SseWriter.named("message_delta", messageDelta.toString()));
    out.writeBytes(SseWriter.named("message_stop", "{\"type\":\"message_stop\"}"));
    return out.toByteArray();
  }

  private void begin(ByteArrayOutputStream out) {
    if (started) {
      return;
    }
    started = true;
    ObjectNode data = Json.mapper().createObjectNode().put("type", "message_start");
    ObjectNode message = data.putObject("message");
    message.put("id", id != null ? id : ids.next("msg_"));
    message.put("type", "message");
    message.put("role", "assistant");
    String name = model != null ? model : request.model();
    if (name != null) {
      message.put("model", name);
    }
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    ObjectNode startUsage = message.putObject("usage");
    startUsage.put("input_tokens", AnthropicUsage.uncachedInput(usage));
    startUsage.put("cache_creation_input_tokens", usage.cacheWrite());
    startUsage.put("cache_read_input_tokens", usage.cacheRead());
    startUsage.put("output_tokens", Math.max(1, usage.output()));
    out.writeBytes(SseWriter.named("message_start", data.toString()));
  }

  private void ensureOpen(ByteArrayOutputStream out, Open kind, @Nullable ObjectNode block) {
    if (open == kind) {
      return;
    }
    close(out);
    ObjectNode content = block;
    if (content == null) {
      content = Json.mapper().createObjectNode();
      if (kind == Open.TEXT) {
        content.put("type", "text").put("text", "");
      } else {
        content.put("type", "thinking").put("thinking", "");
      }
    }
    start(out, kind, content);
  }

  private void start(ByteArrayOutputStream out, Open kind, ObjectNode content) {
    ObjectNode data = Json.mapper().createObjectNode().put("type", "content_block_start").put("index", nextIndex);
    data.set("content_block", content);
    out.writeBytes(SseWriter.named("content_block_start", data.toString()));
    open = kind;
    openIndex = nextIndex++;
  }

  private void close(ByteArrayOutputStream out) {
    if (open == Open.NONE) {
      return;
    }
    ObjectNode data = Json.mapper().createObjectNode().put("type", "content_block_stop").put("index", openIndex);
    out.writeBytes(SseWriter.named("content_block_stop", data.toString()));
    open = Open.NONE;
  }

  private void delta(ByteArrayOutputStream out, ObjectNode delta) {
    ObjectNode data = Json.mapper().createObjectNode().put("type", "content_block_delta").put("index", openIndex);
    data.set("delta", delta);
    out.writeBytes(SseWriter.named("content_block_delta", data.toString()));
  }
}
