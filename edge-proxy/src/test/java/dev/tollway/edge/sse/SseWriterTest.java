package dev.tollway.edge.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseWriterTest {

  private static String written(SseEvent event) {
    return new String(SseWriter.write(event), StandardCharsets.UTF_8);
  }

  @Test
  void shouldWriteAnUnnamedEventAsOneDataLineAndABlankLine() {
    assertThat(written(SseEvent.data("[DONE]"))).isEqualTo("data: [DONE]\n\n");
  }

  @Test
  void shouldWriteTheEventNameFirst() {
    assertThat(written(SseEvent.named("message_stop", "{\"type\":\"message_stop\"}")))
        .isEqualTo("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
  }

  @Test
  void shouldWriteOneDataLinePerLineOfData() {
    assertThat(written(new SseEvent("e", "a\nb\r\nc\rd", "42")))
        .isEqualTo("event: e\nid: 42\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
  }

  @Test
  void shouldWriteEmptyDataAsAnEmptyDataLine() {
    assertThat(written(SseEvent.data(""))).isEqualTo("data: \n\n");
  }

  @Test
  void shouldRejectALineBreakInTheEventName() {
    assertThatThrownBy(() -> SseWriter.write(SseEvent.named("a\nb", "x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRoundTripThroughTheParser() {
    // Given events with multi-line and non-ASCII data
    List<SseEvent> events =
        List.of(SseEvent.named("x", "line one\nline two"), SseEvent.data("Grüße 🎉"), SseEvent.data(""));

    // When written and parsed back
    SseParser parser = new SseParser();
    List<SseEvent> parsed = new ArrayList<>();
    for (SseEvent event : events) {
      parsed.addAll(parser.feed(SseWriter.write(event)));
    }

    // Then they are the same events
    assertThat(parsed).containsExactlyElementsOf(events);
  }
}
