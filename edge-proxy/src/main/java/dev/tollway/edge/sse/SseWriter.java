package dev.tollway.edge.sse;

import java.nio.charset.StandardCharsets;

/**
 * Writes server-sent events as exact bytes: {@code event: <name>\n} when named, {@code id: <id>\n} when the
 * event has an id, one {@code data: <line>\n} per line of the data, then a blank line. Line ends inside the
 * data ({@code \n}, {@code \r\n}, {@code \r}) start a new {@code data:} line, so any text round-trips
 * through {@link SseParser}.
 */
public final class SseWriter {

  private SseWriter() {}

  /** The bytes of one event. */
  public static byte[] write(SseEvent event) {
    return text(event).getBytes(StandardCharsets.UTF_8);
  }

  /** The bytes of an unnamed event carrying only data. */
  public static byte[] data(String data) {
    return write(SseEvent.data(data));
  }

  /** The bytes of a named event. */
  public static byte[] named(String event, String data) {
    return write(SseEvent.named(event, data));
  }

  /** The text of one event. */
  public static String text(SseEvent event) {
    StringBuilder out = new StringBuilder(event.data().length() + 32);
    if (event.event() != null) {
      out.append("event: ").append(singleLine(event.event())).append('\n');
    }
    if (event.id() != null) {
      out.append("id: ").append(singleLine(event.id())).append('\n');
    }
    String data = event.data();
    int start = 0;
    for (int i = 0; i < data.length(); i++) {
      char c = data.charAt(i);
      if (c == '\n' || c == '\r') {
        out.append("data: ").append(data, start, i).append('\n');
        if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    out.append("data: ").append(data, start, data.length()).append('\n');
    out.append('\n');
    return out.toString();
  }

  private static String singleLine(String value) {
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("an SSE field value must be one line");
    }
    return value;
  }
}
