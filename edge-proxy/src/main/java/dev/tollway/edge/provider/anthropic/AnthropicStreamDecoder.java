package dev.tollway.edge.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.FinishReason;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.edge.provider.wire.SseJsonDecoder;
import dev.tollway.edge.sse.SseEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes Anthropic's Messages event stream: {@code message_start} (id, model, usage with the input
 * tokens), {@code content_block_start} / {@code content_block_delta} for text, thinking (and its signature)
 * and tool use (arguments as {@code input_json_delta}), {@code message_delta} (stop reason and cumulative
 * output tokens; its input tokens replace the start's only when present), {@code message_stop} (complete),
 * {@code ping}, and {@code error} (a failure). Content block indexes become tool call indexes counted over
 * tool use blocks only; blocks without a neutral form (server tools, redacted thinking) are skipped with
 * their deltas.
 */
final class AnthropicStreamDecoder extends SseJsonDecoder {

  private final Map<Integer, Block> blocks = new HashMap<>();
  private int toolCalls;
  private long input;
  private long cacheRead;
  private long cacheWrite;
  private long output;
  private boolean done;

  AnthropicStreamDecoder() {
    super("anthropic");
  }

  private enum Kind {
    TEXT,
    THINKING,
    TOOL,
    OTHER
  }

  private record Block(Kind kind, int toolIndex) {}

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
      case "message_start" -> {
        JsonNode message = data.path("message");
        out.add(new ChatEvent.Start(Fields.text(message, "id"), Fields.text(message, "model")));
        JsonNode usage = message.get("usage");
        if (usage != null && usage.isObject()) {
          readUsage(usage);
          out.add(new ChatEvent.Usage(counts()));
        }
      }
      case "content_block_start" -> blockStart(data, out);
      case "content_block_delta" -> blockDelta(data, out);
      case "message_delta" -> {
        FinishReason finish = AnthropicResponses.finishReason(Fields.text(data.path("delta"), "stop_reason"));
        if (finish != null) {
          out.add(new ChatEvent.Finish(finish));
        }
        JsonNode usage = data.get("usage");
        if (usage != null && usage.isObject()) {
          readUsage(usage);
          out.add(new ChatEvent.Usage(counts()));
        }
      }
      case "message_stop" -> done = true;
      case "error" -> {
        JsonNode error = data.path("error");
        out.add(
            new ChatEvent.Failure(
                AnthropicErrors.fromType(Fields.text(error, "type"), Fields.text(error, "message"))));
      }
      default -> {
        // ping, content_block_stop and event types added later carry nothing to translate
      }
    }
  }

  private void blockStart(JsonNode data, List<ChatEvent> out) {
    int index = data.path("index").asInt(-1);
    JsonNode block = data.path("content_block");
    String type = Fields.text(block, "type");
    if ("text".equals(type)) {
      blocks.put(index, new Block(Kind.TEXT, -1));
      String text = Fields.text(block, "text");
      if (text != null && !text.isEmpty()) {
        out.add(new ChatEvent.TextDelta(text));
      }
    } else if ("thinking".equals(type)) {
      blocks.put(index, new Block(Kind.THINKING, -1));
      String thinking = Fields.text(block, "thinking");
      if (thinking != null && !thinking.isEmpty()) {
        out.add(new ChatEvent.ReasoningDelta(thinking, null));
      }
    } else if ("tool_use".equals(type)) {
      String id = Fields.text(block, "id");
      String name = Fields.text(block, "name");
      if (id == null || name == null) {
        blocks.put(index, new Block(Kind.OTHER, -1));
        return;
      }
      int toolIndex = toolCalls++;
      blocks.put(index, new Block(Kind.TOOL, toolIndex));
      out.add(new ChatEvent.ToolCallStart(toolIndex, id, name));
      JsonNode input = block.get("input");
      if (input != null && input.isObject() && !input.isEmpty()) {
        out.add(new ChatEvent.ToolCallDelta(toolIndex, input.toString()));
      }
    } else {
      blocks.put(index, new Block(Kind.OTHER, -1));
    }
  }

  private void blockDelta(JsonNode data, List<ChatEvent> out) {
    Block block = blocks.get(data.path("index").asInt(-1));
    if (block == null) {
      return;
    }
    JsonNode delta = data.path("delta");
    String type = Fields.text(delta, "type");
    if ("text_delta".equals(type) && block.kind() == Kind.TEXT) {
      String text = Fields.text(delta, "text");
      if (text != null && !text.isEmpty()) {
        out.add(new ChatEvent.TextDelta(text));
      }
    } else if ("thinking_delta".equals(type) && block.kind() == Kind.THINKING) {
      String thinking = Fields.text(delta, "thinking");
      if (thinking != null && !thinking.isEmpty()) {
        out.add(new ChatEvent.ReasoningDelta(thinking, null));
      }
    } else if ("signature_delta".equals(type) && block.kind() == Kind.THINKING) {
      String signature = Fields.text(delta, "signature");
      if (signature != null) {
        out.add(new ChatEvent.ReasoningDelta("", signature));
      }
    } else if ("input_json_delta".equals(type) && block.kind() == Kind.TOOL) {
      String json = Fields.text(delta, "partial_json");
      if (json != null && !json.isEmpty()) {
        out.add(new ChatEvent.ToolCallDelta(block.toolIndex(), json));
      }
    }
  }

  private void readUsage(JsonNode usage) {
    if (usage.hasNonNull("input_tokens")) {
      input = Fields.count(usage, "input_tokens");
    }
    if (usage.hasNonNull("cache_read_input_tokens")) {
      cacheRead = Fields.count(usage, "cache_read_input_tokens");
    }
    if (usage.hasNonNull("cache_creation_input_tokens")) {
      cacheWrite = Fields.count(usage, "cache_creation_input_tokens");
    }
    if (usage.hasNonNull("output_tokens")) {
      output = Fields.count(usage, "output_tokens");
    }
  }

  private TokenCounts counts() {
    return new TokenCounts(input + cacheRead + cacheWrite, cacheRead, cacheWrite, output, 0);
  }
}
