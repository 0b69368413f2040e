package dev.tollway.edge.provider.vertexai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.StreamDecoder;
import dev.tollway.edge.provider.wire.ToolArguments;
import dev.tollway.edge.sse.SseEvent;
import dev.tollway.edge.sse.SseFormatException;
import dev.tollway.edge.sse.SseParser;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A Vertex AI stream, which is Gemini's ({@code streamGenerateContent?alt=sse}) or Anthropic's
 * ({@code streamRawPredict}) by the model — which a stream decoder is not told. The first complete SSE event
 * decides: Anthropic names every event ({@code event: message_start}) and types its data
 * ({@code "type": ...}); Gemini's events are unnamed chunks. Until then the bytes are held (one event at
 * most); then they and everything after go to the chosen decoder unchanged.
 */
final class VertexStreamDecoder implements StreamDecoder {

  private final Supplier<StreamDecoder> gemini;
  private final Supplier<StreamDecoder> anthropic;
  private final SseParser sniffer = new SseParser();
  private final ByteArrayOutputStream held = new ByteArrayOutputStream();
  private @Nullable StreamDecoder delegate;

  VertexStreamDecoder(Supplier<StreamDecoder> gemini, Supplier<StreamDecoder> anthropic) {
    this.gemini = gemini;
    this.anthropic = anthropic;
  }

  @Override
  public List<ChatEvent> decode(ByteBuffer chunk) {
    StreamDecoder chosen = delegate;
    if (chosen != null) {
      return chosen.decode(chunk);
    }
    byte[] bytes = new byte[chunk.remaining()];
    chunk.get(bytes);
    held.writeBytes(bytes);
    List<SseEvent> events;
    try {
      events = sniffer.feed(bytes);
    } catch (SseFormatException e) {
      return choose(gemini.get()); // not SSE at all: the Gemini decoder reports it
    }
    if (events.isEmpty()) {
      return List.of();
    }
    return choose(isAnthropic(events.get(0)) ? anthropic.get() : gemini.get());
  }

  @Override
  public List<ChatEvent> end() {
    if (delegate == null) {
      List<SseEvent> last;
      try {
        last = sniffer.flush();
      } catch (SseFormatException e) {
        last = List.of();
      }
      List<ChatEvent> out = new ArrayList<>(
          choose(!last.isEmpty() && isAnthropic(last.get(0)) ? anthropic.get() : gemini.get()));
      out.addAll(delegate.end());
      return out;
    }
    return delegate.end();
  }

  @Override
  public boolean completed() {
    return delegate != null && delegate.completed();
  }

  private List<ChatEvent> choose(StreamDecoder decoder) {
    delegate = decoder;
    byte[] bytes = held.toByteArray();
    held.reset();
    return decoder.decode(ByteBuffer.wrap(bytes));
  }

  private static boolean isAnthropic(SseEvent event) {
    if (event.event() != null) {
      return true;
    }
    JsonNode data = ToolArguments.parseValue(event.data()).orElse(null);
    return data != null && data.path("type").isTextual();
  }
}
