package dev.tollway.edge.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceContextTest {

  @Test
  void shouldReadAValidTraceparentWithItsSampledFlag() {
    TraceContext sampled = TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    TraceContext unsampled = TraceContext.parse(" 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00 ");
    TraceContext future = TraceContext.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03-what-comes-next");

    assertThat(sampled).isEqualTo(new TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true));
    assertThat(unsampled.sampled()).isFalse();
    assertThat(future.sampled()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "", "garbage", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
    "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
    "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
    "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x",
  })
  void shouldIgnoreAMalformedTraceparent(String header) {
    assertThat(TraceContext.parse(header)).isNull();
  }

  @Test
  void shouldKeepTheTraceAndFlagInAChildWithANewSpanId() {
    TraceContext parent = TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    TraceContext child = parent.child();

    assertThat(child.traceId()).isEqualTo(parent.traceId());
    assertThat(child.sampled()).isTrue();
    assertThat(child.spanId()).isNotEqualTo(parent.spanId()).matches("[0-9a-f]{16}");
    assertThat(child.traceparent()).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-" + child.spanId() + "-01");
    assertThat(TraceContext.parse(child.traceparent())).isEqualTo(child);
  }

  @Test
  void shouldStartDistinctWellFormedTraces() {
    Set<String> traces = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      TraceContext trace = TraceContext.newTrace(false);
      assertThat(trace.traceId()).matches("[0-9a-f]{32}");
      assertThat(trace.traceparent()).endsWith("-00");
      traces.add(trace.traceId());
    }
    assertThat(traces).hasSize(1000);
  }

  @Test
  void shouldRefuseIdsThatAreNotLowerCaseHex() {
    assertThatThrownBy(() -> new TraceContext("xyz", "00f067aa0ba902b7", true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("traceId");
  }
}
