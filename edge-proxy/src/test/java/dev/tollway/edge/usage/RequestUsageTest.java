package dev.tollway.edge.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.trace.Tracing;
import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageEvent;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RequestUsageTest {

  private static final Instant START = Instant.parse("2026-11-26T17:00:00Z");

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(nullValues = "null", value = {
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01, 4bf92f3577b34da6a3ce929d0e0e4736",
    "00-00000000000000000000000000000000-00f067aa0ba902b7-01, null",
    "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01, null",
    "garbage, null",
    "null, null",
  })
  void shouldTakeTheTraceIdOfAValidTraceparent(String header, String expected) {
    assertThat(RequestUsage.traceIdOf(header)).isEqualTo(expected);
  }

  @Test
  void shouldDescribeARequestThatReachedNoUpstreamAsAttemptZeroWithoutTokens() {
    RequestUsage usage = new RequestUsage("r1", Tracing.off().startRequest(null, START), START, "default/gw");
    usage.errorClass("ROUTE_NOT_FOUND");
    usage.errorClass("LATER");

    UsageEvent event = usage.toEvent("e1", START.plusMillis(3), 404);

    assertThat(event.attempt()).isZero();
    assertThat(event.finalAttempt()).isTrue();
    assertThat(event.errorClass()).isEqualTo("ROUTE_NOT_FOUND");
    assertThat(event.tokens()).isEqualTo(TokenUsage.none());
    assertThat(event.endTime()).isEqualTo(START.plusMillis(3));
  }

  @Test
  void shouldReportTheLastCumulativeCountsAndACutStream() {
    RequestUsage usage = new RequestUsage("r2", Tracing.off().startRequest(null, START), START, "default/gw");
    usage.upstreamCalled();
    usage.tokens(new TokenCounts(10, 4, 1, 2, 0));
    usage.tokens(new TokenCounts(10, 4, 1, 7, 3));
    usage.tokens(null);
    usage.firstToken(START.plusMillis(5));
    usage.firstToken(START.plusMillis(9));
    usage.streamCut();

    UsageEvent event = usage.toEvent("e2", START.plusMillis(20), 200);

    assertThat(event.attempt()).isEqualTo(1);
    assertThat(event.firstTokenTime()).isEqualTo(START.plusMillis(5));
    assertThat(event.tokens()).isEqualTo(new TokenUsage(10, 4, 1, 7, 3, 17, TokenUsage.Source.provider, false));
  }
}
