package dev.tollway.usage.aggregate;

import static dev.tollway.usage.testing.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.schemas.usage.UsageAggregate;
import dev.tollway.usage.testing.Events;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsageCountsTest {

  @Test
  void shouldCountAFinalEventAsOneRequestWithItsTokens() {
    // Given
    var answered = event("e1", "2026-11-26T12:00:00Z").tokens(120, 30).cache(100, 10).reasoning(12).build();

    // When
    UsageCounts counts = UsageCounts.of(answered);

    // Then
    assertThat(counts).isEqualTo(new UsageCounts(1, 0, 120, 100, 10, 30, 12, 150));
  }

  @Test
  void shouldCountOnlyTheTokensOfAnAttemptThatWasNotAnswered() {
    // Given an attempt that failed with a server error and was retried
    var failed = event("e1", "2026-11-26T12:00:00Z").notFinal(1).status(502).tokens(50, 5).build();

    // When
    UsageCounts counts = UsageCounts.of(failed);

    // Then neither a request nor an error, but its tokens
    assertThat(counts).isEqualTo(new UsageCounts(0, 0, 50, 0, 0, 5, 0, 55));
  }

  @Test
  void shouldCountAFinalEventWithAStatusOf400OrMoreAsAnError() {
    // When
    UsageCounts badRequest = UsageCounts.of(event("e1", "2026-11-26T12:00:00Z").status(400).build());
    UsageCounts redirect = UsageCounts.of(event("e2", "2026-11-26T12:00:00Z").status(399).build());

    // Then
    assertThat(badRequest.errors()).isEqualTo(1);
    assertThat(redirect.errors()).isZero();
  }

  @Test
  void shouldAddEventsFieldByField() {
    // Given
    UsageCounts counts = UsageCounts.zero().add(event("e1", "2026-11-26T12:00:00Z").tokens(1, 2).build());

    // When
    UsageCounts sum = counts.plus(new UsageCounts(10, 20, 30, 40, 50, 60, 70, 80));

    // Then
    assertThat(sum).isEqualTo(new UsageCounts(11, 20, 31, 40, 50, 62, 70, 83));
  }

  @Test
  void shouldBecomeTheContractAggregateOfAWindow() {
    // Given
    UsageCounts counts = new UsageCounts(3, 1, 300, 200, 10, 30, 5, 330);
    Instant start = Instant.parse("2026-11-26T12:00:00Z");

    // When
    UsageAggregate aggregate = counts.toAggregate(Events.dimensions("gpt-4o"), start, start.plusSeconds(60));

    // Then
    assertThat(aggregate)
        .isEqualTo(
            new UsageAggregate(
                UsageAggregate.SCHEMA_VERSION,
                start,
                Instant.parse("2026-11-26T12:01:00Z"),
                Events.dimensions("gpt-4o"),
                3, 1, 300, 200, 10, 30, 5, 330));
  }
}
