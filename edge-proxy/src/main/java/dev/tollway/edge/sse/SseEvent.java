package dev.tollway.edge.sse;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One server-sent event.
 *
 * @param event the event name ({@code event:} field), or null for the default {@code message} event
 * @param data the data, the {@code data:} lines joined with {@code \n}
 * @param id the last event id ({@code id:} field) if the event carried one
 */
public record SseEvent(@Nullable String event, String data, @Nullable String id) {

  public SseEvent {
    requireNonNull(data, "data");
  }

  /** An unnamed event with only data. */
  public static SseEvent data(String data) {
    return new SseEvent(null, data, null);
  }

  /** A named event. */
  public static SseEvent named(String event, String data) {
    return new SseEvent(requireNonNull(event, "event"), data, null);
  }
}
