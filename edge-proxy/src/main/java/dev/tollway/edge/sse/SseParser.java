package dev.tollway.edge.sse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An incremental server-sent events parser (the WHATWG event-stream grammar): bytes go in in any chunking,
 * complete events come out. Lines end with {@code \n}, {@code \r\n} or {@code \r}; {@code data:} lines are
 * joined with {@code \n}; lines starting with {@code :} are comments; {@code event:}, {@code id:} and
 * {@code retry:} are understood, other fields ignored. Lines are split on bytes and decoded only when
 * complete, so a UTF-8 sequence split across chunks decodes correctly. An event is dispatched at a blank
 * line; a last event without one is dispatched only by {@link #flush()}.
 *
 * <p>Not thread-safe: one parser per stream.
 */
public final class SseParser {

  /** The longest line accepted by default: 16 MiB. */
  public static final int DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

  private static final byte CR = '\r';
  private static final byte LF = '\n';

  private final int maxLineBytes;
  private byte[] line = new byte[256];
  private int lineLength;
  private boolean lastWasCr;
  private boolean atStart = true;

  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private @Nullable String eventName;
  private @Nullable String lastEventId;
  private @Nullable Long retryMillis;

  public SseParser() {
    this(DEFAULT_MAX_LINE_BYTES);
  }

  /** @param maxLineBytes the longest line accepted; a longer one fails the stream */
  public SseParser(int maxLineBytes) {
    if (maxLineBytes <= 0) {
      throw new IllegalArgumentException("maxLineBytes: " + maxLineBytes + " (expected: a positive number)");
    }
    this.maxLineBytes = maxLineBytes;
  }

  /**
   * Parses a chunk; returns the events it completes. The buffer is consumed.
   *
   * @throws SseFormatException when a line is longer than the limit
   */
  public List<SseEvent> feed(ByteBuffer chunk) {
    List<SseEvent> out = new ArrayList<>();
    while (chunk.hasRemaining()) {
      byte b = chunk.get();
      if (lastWasCr) {
        lastWasCr = false;
        if (b == LF) {
          continue; // the LF of a CRLF
        }
      }
      if (b == CR) {
        lastWasCr = true;
        endLine(out);
      } else if (b == LF) {
        endLine(out);
      } else {
        append(b);
      }
    }
    return out;
  }

  /** Parses a chunk; returns the events it completes. */
  public List<SseEvent> feed(byte[] chunk) {
    return feed(ByteBuffer.wrap(chunk));
  }

  /** The stream ended: completes a last line and dispatches a last event left without a blank line. */
  public List<SseEvent> flush() {
    List<SseEvent> out = new ArrayList<>();
    if (lineLength > 0) {
      endLine(out);
    }
    lastWasCr = false;
    dispatch(out);
    return out;
  }

  /** The last {@code retry:} value the stream sent, in milliseconds. */
  public @Nullable Long retryMillis() {
    return retryMillis;
  }

  private void append(byte b) {
    if (lineLength == maxLineBytes) {
      throw new SseFormatException("an event-stream line is longer than " + maxLineBytes + " bytes");
    }
    if (lineLength == line.length) {
      line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
    }
    line[lineLength++] = b;
  }

  private void endLine(List<SseEvent> out) {
    int start = 0;
    if (atStart) {
      atStart = false;
      if (lineLength >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB && line[2] == (byte) 0xBF) {
        start = 3; // a UTF-8 byte order mark
      }
    }
    String text = new String(line, start, lineLength - start, StandardCharsets.UTF_8);
    lineLength = 0;
    if (line.length > 64 * 1024) {
      line = new byte[256]; // do not keep a huge buffer after one long line
    }
    processLine(text, out);
  }

  private void processLine(String text, List<SseEvent> out) {
    if (text.isEmpty()) {
      dispatch(out);
      return;
    }
    if (text.charAt(0) == ':') {
      return; // comment
    }
    int colon = text.indexOf(':');
    String field;
    String value;
    if (colon < 0) {
      field = text;
      value = "";
    } else {
      field = text.substring(0, colon);
      int valueStart = colon + 1;
      if (valueStart < text.length() && text.charAt(valueStart) == ' ') {
        valueStart++;
      }
      value = text.substring(valueStart);
    }
    switch (field) {
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      case "event" -> eventName = value;
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          lastEventId = value;
        }
      }
      case "retry" -> {
        if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9') && value.length() < 19) {
          retryMillis = Long.parseLong(value);
        }
      }
      default -> {
        // unknown fields are ignored
      }
    }
  }

  private void dispatch(List<SseEvent> out) {
    if (hasData) {
      out.add(new SseEvent(eventName == null || eventName.isEmpty() ? null : eventName, data.toString(), lastEventId));
    }
    data.setLength(0);
    hasData = false;
    eventName = null;
  }
}
