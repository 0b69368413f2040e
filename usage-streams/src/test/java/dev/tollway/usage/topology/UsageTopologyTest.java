package dev.tollway.usage.topology;

import static dev.tollway.usage.testing.Events.dimensions;
import static dev.tollway.usage.testing.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.schemas.usage.UsageAggregate;
import dev.tollway.schemas.usage.UsageDimensions;
import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.aggregate.UsageCounts;
import dev.tollway.usage.testing.Events;
import dev.tollway.usage.testing.UsageDriver;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageTopologyTest {

  @TempDir Path stateDir;

  private UsageDriver driver;

  @BeforeEach
  void startDriver() {
    driver = new UsageDriver(stateDir);
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  @Test
  void shouldEmitOneAggregatePerMinuteAndDimensions() {
    // Given requests for two models over two minutes
    UsageEvent first = event("e1", "2026-11-26T12:00:10Z").model("gpt-4o").tokens(100, 10).build();
    UsageEvent second = event("e2", "2026-11-26T12:00:50Z").model("gpt-4o").tokens(200, 20).build();
    UsageEvent otherModel = event("e3", "2026-11-26T12:00:20Z").model("claude").tokens(7, 3).build();
    UsageEvent nextMinute = event("e4", "2026-11-26T12:01:00Z").model("gpt-4o").tokens(1, 1).build();

    // When
    driver.pipe(first, second, otherModel, nextMinute);

    // Then every update is emitted, and the latest per key is the sum of its minute and dimensions
    List<KeyValue<String, UsageAggregate>> updates = driver.readMinutes();
    assertThat(updates).hasSize(4);
    assertThat(updates.get(0).value.requests()).isEqualTo(1);
    Map<String, UsageAggregate> latest = toMap(updates);
    UsageAggregate gpt4oAtNoon = aggregate("gpt-4o", "2026-11-26T12:00:00Z", 2, 0, 300, 30);
    UsageAggregate claudeAtNoon = aggregate("claude", "2026-11-26T12:00:00Z", 1, 0, 7, 3);
    UsageAggregate gpt4oNextMinute = aggregate("gpt-4o", "2026-11-26T12:01:00Z", 1, 0, 1, 1);
    assertThat(latest)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                gpt4oAtNoon.key(), gpt4oAtNoon,
                claudeAtNoon.key(), claudeAtNoon,
                gpt4oNextMinute.key(), gpt4oNextMinute));
    assertThat(gpt4oAtNoon.key())
        .isEqualTo("default/agentgateway|default/llm-route#0|default/openai|openai|gpt-4o@2026-11-26T12:00:00Z");
  }

  @Test
  void shouldKeepTheSumsInTheNamedMinuteStore() {
    // Given
    driver.pipe(
        event("e1", "2026-11-26T12:00:10Z").model("gpt-4o").tokens(100, 10).cache(64, 8).reasoning(4).build(),
        event("e2", "2026-11-26T12:00:30Z").model("gpt-4o").tokens(50, 5).cache(32, 0).build());

    // When
    UsageCounts stored = storedCounts(dimensions("gpt-4o"), "2026-11-26T12:00:00Z");

    // Then
    assertThat(stored).isEqualTo(new UsageCounts(2, 0, 150, 96, 8, 15, 4, 165));
  }

  @Test
  void shouldGroupByEveryDimension() {
    // Given the same model through two backends and providers, and two routes
    driver.pipe(
        event("e1", "2026-11-26T12:00:10Z").model("m").backend("default/a").provider("openai").tokens(1, 1).build(),
        event("e2", "2026-11-26T12:00:11Z").model("m").backend("default/b").provider("anthropic").tokens(2, 2).build(),
        event("e3", "2026-11-26T12:00:12Z").model("m").route("default/other#1").tokens(3, 3).build(),
        event("e4", "2026-11-26T12:00:13Z").model("m").gateway("prod/edge").tokens(4, 4).build());

    // When
    Map<String, UsageAggregate> latest = driver.readLatestMinutes();

    // Then each distinct combination is its own aggregate
    assertThat(latest.values())
        .extracting(UsageAggregate::dimensions)
        .containsExactlyInAnyOrder(
            new UsageDimensions(Events.GATEWAY, "default/llm-route#0", "default/a", "openai", "m"),
            new UsageDimensions(Events.GATEWAY, "default/llm-route#0", "default/b", "anthropic", "m"),
            new UsageDimensions(Events.GATEWAY, "default/other#1", "default/openai", "openai", "m"),
            new UsageDimensions("prod/edge", "default/llm-route#0", "default/openai", "openai", "m"));
  }

  @Test
  void shouldCountRequestsFromFinalEventsAndTokensFromEveryAttempt() {
    // Given a request whose first attempt failed upstream after some tokens and whose retry answered
    UsageEvent failedAttempt =
        event("r1-a1", "2026-11-26T12:00:05Z").request("r1").notFinal(1).status(503).tokens(40, 2).build();
    UsageEvent answeredAttempt =
        event("r1-a2", "2026-11-26T12:00:09Z").request("r1").attempt(2).status(200).tokens(40, 12).build();
    // and a request that was answered with an error
    UsageEvent rateLimited = event("r2-a1", "2026-11-26T12:00:20Z").request("r2").status(429).build();

    // When
    driver.pipe(failedAttempt, answeredAttempt, rateLimited);

    // Then two requests, one error (only final events count), tokens of both attempts
    assertThat(storedCounts(dimensions("gpt-4o-mini"), "2026-11-26T12:00:00Z"))
        .isEqualTo(new UsageCounts(2, 1, 80, 0, 0, 14, 0, 94));
  }

  @Test
  void shouldCountARequestRejectedBeforeAnyUpstreamUnderEmptyDimensions() {
    // Given a request no route matched: attempt 0, no route, backend, provider or model
    UsageEvent notFound =
        event("e1", "2026-11-26T12:00:05Z").attempt(0).route(null).backend(null).provider(null).model(null)
            .status(404).build();

    // When
    driver.pipe(notFound);

    // Then it is a request and an error under the gateway alone
    UsageAggregate expected =
        new UsageCounts(1, 1, 0, 0, 0, 0, 0, 0)
            .toAggregate(
                new UsageDimensions(Events.GATEWAY, "", "", "", ""),
                Instant.parse("2026-11-26T12:00:00Z"),
                Instant.parse("2026-11-26T12:01:00Z"));
    assertThat(driver.readMinutes()).containsExactly(KeyValue.pair(expected.key(), expected));
  }

  @Test
  void shouldCountAnEventOnceWhenItArrivesTwice() {
    // Given an event, the same event again (a producer retry), then another event of the same request
    UsageEvent original = event("e1", "2026-11-26T12:00:05Z").request("r1").notFinal(1).tokens(10, 1).build();
    UsageEvent retry = event("e2", "2026-11-26T12:00:07Z").request("r1").attempt(2).tokens(10, 5).build();

    // When
    driver.pipe(original, original, retry, original);

    // Then the copies produce no update and are not counted
    List<KeyValue<String, UsageAggregate>> updates = driver.readMinutes();
    assertThat(updates).hasSize(2);
    assertThat(updates.get(1).value.requests()).isEqualTo(1);
    assertThat(updates.get(1).value.totalTokens()).isEqualTo(26);
    assertThat(storedCounts(dimensions("gpt-4o-mini"), "2026-11-26T12:00:00Z"))
        .isEqualTo(new UsageCounts(1, 0, 20, 0, 0, 6, 0, 26));
  }

  @Test
  void shouldDropACopyThatArrivesAfterNewerEventsWithinTheHorizon() {
    // Given an event, then newer events that moved stream time five minutes on: its minute still takes late
    // events (grace: five minutes after its end), so only deduplication can keep a copy out
    UsageEvent original = event("e1", "2026-11-26T12:00:05Z").tokens(10, 1).build();
    driver.pipe(
        original,
        event("e2", "2026-11-26T12:03:00Z").tokens(1, 1).build(),
        event("e3", "2026-11-26T12:05:30Z").tokens(1, 1).build());
    driver.readMinutes();

    // When the spool replays the first event, byte for byte the same record
    driver.pipe(original);

    // Then it is recognised and not counted again
    assertThat(driver.readMinutes()).isEmpty();
    assertThat(storedCounts(dimensions("gpt-4o-mini"), "2026-11-26T12:00:00Z"))
        .isEqualTo(new UsageCounts(1, 0, 10, 0, 0, 1, 0, 11));
  }

  @Test
  void shouldCountALateEventWithinTheGrace() {
    // Given stream time moved four minutes past the first minute's end
    driver.pipe(
        event("e1", "2026-11-26T12:00:30Z").tokens(1, 1).build(),
        event("e2", "2026-11-26T12:05:00Z").tokens(1, 1).build());
    driver.readMinutes();

    // When an event of the first minute arrives late, but within the five-minute grace
    driver.pipe(event("late", "2026-11-26T12:00:45Z").tokens(5, 5).build());

    // Then it is counted in its own minute
    UsageAggregate updated = aggregate("gpt-4o-mini", "2026-11-26T12:00:00Z", 2, 0, 6, 6);
    assertThat(driver.readMinutes()).containsExactly(KeyValue.pair(updated.key(), updated));
  }

  @Test
  void shouldDropAnEventThatArrivesAfterTheGrace() {
    // Given stream time moved past the first minute's end plus the grace
    driver.pipe(
        event("e1", "2026-11-26T12:00:30Z").tokens(1, 1).build(),
        event("e2", "2026-11-26T12:06:00Z").tokens(1, 1).build());
    driver.readMinutes();

    // When an event of the first minute arrives
    driver.pipe(event("too-late", "2026-11-26T12:00:45Z").tokens(5, 5).build());

    // Then nothing is emitted and the minute keeps its count
    assertThat(driver.readMinutes()).isEmpty();
    assertThat(storedCounts(dimensions("gpt-4o-mini"), "2026-11-26T12:00:00Z"))
        .isEqualTo(new UsageCounts(1, 0, 1, 0, 0, 1, 0, 2));
  }

  @Test
  void shouldSkipRecordsThatDoNotDecodeAndProcessTheNext() {
    // Given a payload that is not JSON and one that is JSON but not a usage event (no eventId)
    driver.pipeRaw("r1", "this is not json");
    driver.pipeRaw("r2", "{\"schemaVersion\":1,\"requestId\":\"r2\"}");

    // When a valid event follows
    driver.pipe(event("e1", "2026-11-26T12:00:30Z").tokens(3, 4).build());

    // Then both bad records were skipped and counted, and the valid one was aggregated
    assertThat(driver.skippedRecords()).isEqualTo(2);
    UsageAggregate expected = aggregate("gpt-4o-mini", "2026-11-26T12:00:00Z", 1, 0, 3, 4);
    assertThat(driver.readMinutes()).containsExactly(KeyValue.pair(expected.key(), expected));
  }

  @Test
  void shouldNameEveryProcessorStoreAndTopic() {
    // Given
    TopologyDescription description =
        UsageTopology.build(new TopologySettings(UsageDriver.GRACE, java.time.Duration.ofDays(7))).describe();

    // When
    String text = description.toString();

    // Then no name was generated by Kafka Streams, and the named ones are there
    assertThat(text).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
    assertThat(text)
        .contains(UsageTopology.MINUTE_STORE)
        .contains(UsageTopology.DEDUP_STORE)
        .contains(UsageTopology.BY_DIMENSIONS_REPARTITION + "-repartition")
        .contains("tollway.usage.v1")
        .contains("tollway.usage.minute.v1")
        .contains(UsageTopology.PRICES_STORE)
        .contains(UsageTopology.BUDGETS_STORE)
        .contains(UsageTopology.SPEND_STORE)
        .contains(UsageTopology.QUOTA_TOTALS_STORE)
        .contains(UsageTopology.QUOTA_BLOCKS_STORE)
        .contains(UsageTopology.SPEND_REPARTITION + "-repartition")
        .contains(UsageTopology.CHARGES_REPARTITION + "-repartition")
        .contains("tollway.prices.v1")
        .contains("tollway.budgets.v1")
        .contains("tollway.spend.daily.v1")
        .contains("tollway.quota.v1");
  }

  private UsageCounts storedCounts(UsageDimensions dimensions, String windowStart) {
    Instant start = Instant.parse(windowStart);
    try (WindowStoreIterator<UsageCounts> windows = driver.minuteStore().fetch(dimensions, start, start)) {
      assertThat(windows.hasNext()).as("a window at %s for %s", windowStart, dimensions).isTrue();
      return windows.next().value;
    }
  }

  private static UsageAggregate aggregate(
      String model, String windowStart, long requests, long errors, long input, long output) {
    Instant start = Instant.parse(windowStart);
    return new UsageCounts(requests, errors, input, 0, 0, output, 0, input + output)
        .toAggregate(dimensions(model), start, start.plusSeconds(60));
  }

  private static Map<String, UsageAggregate> toMap(List<KeyValue<String, UsageAggregate>> updates) {
    Map<String, UsageAggregate> latest = new java.util.HashMap<>();
    updates.forEach(update -> latest.put(update.key, update.value));
    return latest;
  }
}
