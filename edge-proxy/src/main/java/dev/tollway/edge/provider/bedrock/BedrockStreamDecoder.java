package dev.tollway.edge.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.FinishReason;
import dev.tollway.edge.llm.StreamDecoder;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.edge.provider.wire.ToolArguments;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * Decodes a ConverseStream body: the binary {@code application/vnd.amazon.eventstream} framing (each message
 * a prelude of total length, headers length and prelude CRC32, then headers, a payload and a message CRC32)
 * read with the AWS SDK's {@link MessageDecoder}, which checks both checksums and keeps partial messages
 * across chunks. Then by {@code :message-type}:
 *
 * <ul>
 *   <li>{@code event}, by {@code :event-type}: {@code messageStart} starts the answer;
 *       {@code contentBlockStart} with {@code start.toolUse} starts a tool call; {@code contentBlockDelta}
 *       carries {@code text}, {@code toolUse.input} fragments, or {@code reasoningContent} {@code text} /
 *       {@code signature}; {@code messageStop} the {@code stopReason}; {@code metadata} the {@code usage}, and
 *       marks the stream complete. {@code contentBlockStop} and unknown events carry nothing to translate.
 *   <li>{@code exception} ({@code :exception-type} such as {@code throttlingException}, payload
 *       {@code {"message"}}) and {@code error} ({@code :error-code}, {@code :error-message}) are a failure.
 * </ul>
 *
 * A checksum that does not match, a frame too large, or a payload that is not JSON is a failure; nothing
 * after a failure is decoded. Content block indexes become tool call indexes counted over tool calls only.
 */
final class BedrockStreamDecoder implements StreamDecoder {

  private final List<Message> decoded = new ArrayList<>();
  private final MessageDecoder frames = new MessageDecoder(decoded::add);
  private final Map<Integer, Integer> toolBlocks = new HashMap<>();
  private int toolCalls;
  private boolean started;
  private boolean done;
  private boolean failed;

  @Override
  public List<ChatEvent> decode(ByteBuffer chunk) {
    if (failed) {
      chunk.position(chunk.limit());
      return List.of();
    }
    GatewayException corrupt = null;
    try {
      frames.feed(chunk);
    } catch (RuntimeException e) {
      // a checksum or a length the framing forbids: the SDK says which in its message
      chunk.position(chunk.limit());
      corrupt = UpstreamErrors.malformed("bedrock", "a corrupt event stream: " + e.getMessage());
    }
    List<ChatEvent> out = new ArrayList<>();
    for (Message message : decoded) {
      onMessage(message, out);
      if (failed) {
        break;
      }
    }
    decoded.clear();
    if (corrupt != null && !failed) {
      out.addAll(fail(corrupt));
    }
    return out;
  }

  @Override
  public List<ChatEvent> end() {
    return List.of();
  }

  @Override
  public boolean completed() {
    return done;
  }

  private void onMessage(Message message, List<ChatEvent> out) {
    String messageType = header(message, ":message-type");
    if ("exception".equals(messageType)) {
      JsonNode payload = payload(message);
      String said = payload == null ? null : Fields.text(payload, "message");
      if (said == null && payload != null) {
        said = Fields.text(payload, "Message");
      }
      out.addAll(fail(BedrockErrors.stream(header(message, ":exception-type"), said)));
      return;
    }
    if ("error".equals(messageType)) {
      out.addAll(fail(BedrockErrors.stream(header(message, ":error-code"), header(message, ":error-message"))));
      return;
    }
    if (!"event".equals(messageType)) {
      return;
    }
    String eventType = header(message, ":event-type");
    if (eventType == null) {
      return;
    }
    JsonNode payload = payload(message);
    if (payload == null) {
      out.addAll(fail(UpstreamErrors.malformed("bedrock", "an event whose payload is not JSON")));
      return;
    }
    switch (eventType) {
      case "messageStart" -> start(out);
      case "contentBlockStart" -> blockStart(payload, out);
      case "contentBlockDelta" -> blockDelta(payload, out);
      case "messageStop" -> {
        start(out);
        FinishReason finish = BedrockResponses.finishReason(Fields.text(payload, "stopReason"));
        if (finish != null) {
          out.add(new ChatEvent.Finish(finish));
        }
      }
      case "metadata" -> {
        start(out);
        TokenCounts usage = BedrockUsage.decode(payload.get("usage"));
        if (usage != null) {
          out.add(new ChatEvent.Usage(usage));
        }
        done = true;
      }
      default -> {
        // contentBlockStop, and event types added later, carry nothing to translate
      }
    }
  }

  private void start(List<ChatEvent> out) {
    if (!started) {
      started = true;
      out.add(new ChatEvent.Start(null, null));
    }
  }

  private void blockStart(JsonNode payload, List<ChatEvent> out) {
    start(out);
    JsonNode use = payload.path("start").get("toolUse");
    if (use == null || !use.isObject()) {
      return;
    }
    String id = Fields.text(use, "toolUseId");
    String name = Fields.text(use, "name");
    if (id == null || name == null) {
      return;
    }
    int index = toolCalls++;
    toolBlocks.put(payload.path("contentBlockIndex").asInt(-1), index);
    out.add(new ChatEvent.ToolCallStart(index, id, name));
  }

  private void blockDelta(JsonNode payload, List<ChatEvent> out) {
    start(out);
    JsonNode delta = payload.path("delta");
    String text = Fields.text(delta, "text");
    if (text != null) {
      if (!text.isEmpty()) {
        out.add(new ChatEvent.TextDelta(text));
      }
      return;
    }
    JsonNode use = delta.get("toolUse");
    if (use != null && use.isObject()) {
      Integer index = toolBlocks.get(payload.path("contentBlockIndex").asInt(-1));
      JsonNode input = use.get("input");
      if (index != null && input != null) {
        String fragment = input.isTextual() ? input.textValue() : ToolArguments.text(input);
        if (!fragment.isEmpty()) {
          out.add(new ChatEvent.ToolCallDelta(index, fragment));
        }
      }
      return;
    }
    JsonNode reasoning = delta.get("reasoningContent");
    if (reasoning != null && reasoning.isObject()) {
      String thinking = Fields.text(reasoning, "text");
      if (thinking != null && !thinking.isEmpty()) {
        out.add(new ChatEvent.ReasoningDelta(thinking, null));
      }
      String signature = Fields.text(reasoning, "signature");
      if (signature != null) {
        out.add(new ChatEvent.ReasoningDelta("", signature));
      }
      // redactedContent has no neutral form
    }
  }

  private List<ChatEvent> fail(GatewayException error) {
    failed = true;
    return List.of(new ChatEvent.Failure(error));
  }

  private static @Nullable String header(Message message, String name) {
    HeaderValue value = message.getHeaders().get(name);
    if (value == null) {
      return null;
    }
    try {
      return value.getString();
    } catch (RuntimeException e) {
      return null; // a header of another type than string
    }
  }

  private static @Nullable JsonNode payload(Message message) {
    byte[] payload = message.getPayload();
    if (payload.length == 0) {
      return null;
    }
    return ToolArguments.parseValue(new String(payload, StandardCharsets.UTF_8)).orElse(null);
  }
}
