package dev.tollway.edge.provider.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.StreamDecoder;
import dev.tollway.edge.sse.SseEvent;
import dev.tollway.edge.sse.SseFormatException;
import dev.tollway.edge.sse.SseParser;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop every SSE-speaking provider stream shares: bytes → {@link SseParser} → one JSON value per event →
 * {@link #onEvent}. A malformed event (not JSON, a line over the limit) ends the stream with a
 * {@link ChatEvent.Failure}; after a failure, further bytes are ignored.
 */
public abstract class SseJsonDecoder implements StreamDecoder {

  private final SseParser parser = new SseParser();
  private final String provider;
  private boolean failed;

  protected SseJsonDecoder(String provider) {
    this.provider = provider;
  }

  @Override
  public final List<ChatEvent> decode(ByteBuffer chunk) {
    if (failed) {
      chunk.position(chunk.limit());
      return List.of();
    }
    try {
      return handle(parser.feed(chunk));
    } catch (SseFormatException e) {
      return fail(UpstreamErrors.malformed(provider, "an unreadable event stream: " + e.getMessage()));
    }
  }

  @Override
  public final List<ChatEvent> end() {
    if (failed) {
      return List.of();
    }
    List<ChatEvent> out = new ArrayList<>(handle(parser.flush()));
    if (!failed) {
      out.addAll(onEnd());
    }
    return out;
  }

  /**
   * Handles one event. {@code data} is the parsed JSON of the event's data.
   *
   * @param out where to add the events this produces
   */
  protected abstract void onEvent(SseEvent event, JsonNode data, List<ChatEvent> out);

  /**
   * Handles an event whose data is not JSON (such as OpenAI's {@code [DONE]}); returns whether it was
   * understood. By default nothing is.
   */
  protected boolean onText(SseEvent event, List<ChatEvent> out) {
    return false;
  }

  /** Called once when the body ended; may add events. */
  protected List<ChatEvent> onEnd() {
    return List.of();
  }

  /** Marks the stream failed: nothing after this event is decoded. */
  protected final void markFailed() {
    failed = true;
  }

  private List<ChatEvent> handle(List<SseEvent> events) {
    List<ChatEvent> out = new ArrayList<>();
    for (SseEvent event : events) {
      if (failed) {
        break;
      }
      if (onText(event, out)) {
        continue;
      }
      if (event.data().isBlank()) {
        continue; // an empty data line
      }
      JsonNode data = ToolArguments.parseValue(event.data()).orElse(null);
      if (data == null) {
        out.addAll(fail(UpstreamErrors.malformed(provider, "an event that is not JSON")));
        break;
      }
      onEvent(event, data, out);
      for (ChatEvent produced : out) {
        if (produced instanceof ChatEvent.Failure) {
          failed = true;
        }
      }
    }
    return out;
  }

  private List<ChatEvent> fail(GatewayException error) {
    failed = true;
    return List.of(new ChatEvent.Failure(error));
  }

  /** A gateway error for an error the provider reported inside its stream. */
  protected static GatewayException streamError(ErrorReason reason, String message) {
    return new GatewayException(reason, message);
  }
}
