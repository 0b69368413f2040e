package dev.tollway.edge.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private static List<SseEvent> parseAll(String text) {
    SseParser parser = new SseParser();
    List<SseEvent> events = new ArrayList<>(parser.feed(text.getBytes(StandardCharsets.UTF_8)));
    events.addAll(parser.flush());
    return events;
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n", "\r"})
  void shouldSplitEventsOnEveryLineEnding(String eol) {
    // Given a stream of two events written with one kind of line end
    String text = "event: ping" + eol + "data: {}" + eol + eol + "data: second" + eol + eol;

    // When parsed
    List<SseEvent> events = parseAll(text);

    // Then both events come out with their fields
    assertThat(events).containsExactly(SseEvent.named("ping", "{}"), SseEvent.data("second"));
  }

  @Test
  void shouldJoinMultilineDataWithNewlines() {
    assertThat(parseAll("data: first\ndata:second\ndata:  third\n\n"))
        .containsExactly(SseEvent.data("first\nsecond\n third"));
  }

  @Test
  void shouldIgnoreCommentsUnknownFieldsAndEventsWithoutData() {
    // Given comments, an unknown field and a block with only an event name
    String text = ": keep-alive\nfoo: bar\ndata: x\n\nevent: lonely\n\n:another\ndata: y\n\n";

    // Then only the blocks with data are events
    assertThat(parseAll(text)).containsExactly(SseEvent.data("x"), SseEvent.data("y"));
  }

  @Test
  void shouldKeepTheLastEventIdAndReadRetry() {
    SseParser parser = new SseParser();
    List<SseEvent> events =
        parser.feed("id: 7\nretry: 2500\ndata: a\n\ndata: b\n\n".getBytes(StandardCharsets.UTF_8));

    assertThat(events).containsExactly(new SseEvent(null, "a", "7"), new SseEvent(null, "b", "7"));
    assertThat(parser.retryMillis()).isEqualTo(2500L);
  }

  @Test
  void shouldTreatAFieldWithoutColonAsEmptyValue() {
    assertThat(parseAll("data\n\n")).containsExactly(SseEvent.data(""));
  }

  @Test
  void shouldDispatchATrailingEventOnlyWhenFlushed() {
    // Given an event not followed by a blank line
    SseParser parser = new SseParser();
    List<SseEvent> fed = parser.feed("data: complete\n\ndata: trailing".getBytes(StandardCharsets.UTF_8));

    // Then only the complete one comes out until the stream is flushed
    assertThat(fed).containsExactly(SseEvent.data("complete"));
    assertThat(parser.flush()).containsExactly(SseEvent.data("trailing"));
    assertThat(parser.flush()).isEmpty();
  }

  @Test
  void shouldDecodeUtf8SplitAcrossChunks() {
    // Given a line whose multi-byte characters are split across every possible chunk boundary
    byte[] bytes = "data: Bogotá → 日本 🎉\n\n".getBytes(StandardCharsets.UTF_8);
    for (int cut = 1; cut < bytes.length; cut++) {
      SseParser parser = new SseParser();
      List<SseEvent> events = new ArrayList<>(parser.feed(java.util.Arrays.copyOfRange(bytes, 0, cut)));
      events.addAll(parser.feed(java.util.Arrays.copyOfRange(bytes, cut, bytes.length)));

      assertThat(events).as("cut at %d", cut).containsExactly(SseEvent.data("Bogotá → 日本 🎉"));
    }
  }

  @Test
  void shouldTreatCrLfSplitAcrossChunksAsOneLineEnd() {
    SseParser parser = new SseParser();
    List<SseEvent> events = new ArrayList<>(parser.feed("data: a\r".getBytes(StandardCharsets.UTF_8)));
    events.addAll(parser.feed("\n\r".getBytes(StandardCharsets.UTF_8)));
    events.addAll(parser.feed("\ndata: b\r\n\r\n".getBytes(StandardCharsets.UTF_8)));

    assertThat(events).containsExactly(SseEvent.data("a"), SseEvent.data("b"));
  }

  @Test
  void shouldStripAByteOrderMarkAtTheStart() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    SseParser parser = new SseParser();
    parser.feed(bom);
    assertThat(parser.feed("data: x\n\n".getBytes(StandardCharsets.UTF_8))).containsExactly(SseEvent.data("x"));
  }

  @Test
  void shouldRejectALineOverTheLimit() {
    SseParser parser = new SseParser(16);
    assertThatThrownBy(() -> parser.feed("data: 0123456789abcdef\n".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SseFormatException.class)
        .hasMessageContaining("longer than 16 bytes");
  }
}
