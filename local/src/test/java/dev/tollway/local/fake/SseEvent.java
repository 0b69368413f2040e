package dev.tollway.local.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A server-sent event as a client parses it: an optional {@code event:} name and the {@code data:} text. */
record SseEvent(@Nullable String event, String data) {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Parses a complete stream. Every event must end with a blank line and consist only of {@code event:} and
   * {@code data:} lines; anything else fails the parse, so that the framing itself is checked.
   */
  static List<SseEvent> parseAll(String stream) {
    if (!stream.endsWith("\n\n")) {
      throw new IllegalArgumentException("the stream does not end with a blank line: " + stream);
    }
    List<SseEvent> events = new ArrayList<>();
    for (String block : stream.substring(0, stream.length() - 2).split("\n\n", -1)) {
      events.add(parse(block));
    }
    return events;
  }

  static SseEvent parse(String block) {
    String event = null;
    StringBuilder data = null;
    for (String line : block.split("\n", -1)) {
      if (line.startsWith("event: ")) {
        if (event != null) {
          throw new IllegalArgumentException("two event lines in " + block);
        }
        event = line.substring("event: ".length());
      } else if (line.startsWith("data: ")) {
        data = data == null ? new StringBuilder() : data.append('\n');
        data.append(line.substring("data: ".length()));
      } else {
        throw new IllegalArgumentException("unexpected line '" + line + "' in " + block);
      }
    }
    if (data == null) {
      throw new IllegalArgumentException("no data line in " + block);
    }
    return new SseEvent(event, data.toString());
  }

  JsonNode json() {
    try {
      return MAPPER.readTree(data);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + data, e);
    }
  }
}
