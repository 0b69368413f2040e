package dev.tollway.edge.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.wire.ToolArguments;
import dev.tollway.edge.provider.wire.UsageShapes;
import dev.tollway.edge.sse.SseEvent;
import dev.tollway.edge.sse.SseFormatException;
import dev.tollway.edge.sse.SseParser;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads the usage of an answer relayed untouched, from a copy of its bytes: a JSON answer (up to 8 MiB) once
 * whole, or an event stream event by event ({@link UsageShapes}). What it cannot read is simply not
 * metered; it never changes what the client gets.
 */
final class UsageSniffer {

  private static final int JSON_LIMIT = 8 * 1024 * 1024;

  private final @Nullable SseParser events;
  private final @Nullable BoundedBody json;
  private @Nullable TokenCounts counts;
  private @Nullable String model;
  private boolean contentSeen;
  private boolean ended;
  private boolean broken;

  private UsageSniffer(boolean stream) {
    this.events = stream ? new SseParser() : null;
    this.json = stream ? null : new BoundedBody(JSON_LIMIT);
  }

  /** A sniffer for an answer of this content type, or null when it is neither JSON nor an event stream. */
  static @Nullable UsageSniffer forContentType(@Nullable String contentType) {
    if (contentType == null) {
      return null;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    if (type.startsWith("text/event-stream")) {
      return new UsageSniffer(true);
    }
    return type.startsWith("application/json") ? new UsageSniffer(false) : null;
  }

  boolean streams() {
    return events != null;
  }

  /** Reads a copy of the next bytes. */
  void feed(byte[] bytes) {
    if (broken) {
      return;
    }
    if (json != null) {
      json.append(ByteBuffer.wrap(bytes));
      return;
    }
    try {
      for (SseEvent event : events.feed(ByteBuffer.wrap(bytes))) {
        observe(event);
      }
    } catch (SseFormatException e) {
      broken = true;
    }
  }

  /** The body ended. */
  void end() {
    if (broken) {
      return;
    }
    if (json != null) {
      if (!json.overflowed()) {
        JsonNode answer = UpstreamErrors.parseOrNull(json.toByteArray());
        counts = UsageShapes.find(answer);
        model = UsageShapes.model(answer);
      }
      return;
    }
    try {
      for (SseEvent event : events.flush()) {
        observe(event);
      }
    } catch (SseFormatException e) {
      broken = true;
    }
  }

  private void observe(SseEvent event) {
    String data = event.data().strip();
    if (data.equals("[DONE]")) {
      ended = true;
      return;
    }
    JsonNode json = ToolArguments.parseValue(data).orElse(null);
    if (json == null) {
      return;
    }
    TokenCounts found = UsageShapes.find(json);
    if (found != null) {
      counts = UsageShapes.merge(counts, found);
    }
    if (model == null) {
      model = UsageShapes.model(json);
    }
    if (!contentSeen && (json.has("choices") || json.has("candidates") || json.has("delta"))) {
      contentSeen = true;
    }
    if (UsageShapes.endsStream(json)) {
      ended = true;
    }
  }

  @Nullable TokenCounts counts() {
    return counts;
  }

  @Nullable String model() {
    return model;
  }

  /** Whether a stream looked like an LLM stream (it carried usage) yet ended without its end marker. */
  boolean cutShort() {
    return events != null && !broken && counts != null && !ended;
  }
}
