package dev.tollway.usage.topology;

import static dev.tollway.usage.testing.Events.event;
import static dev.tollway.usage.testing.Prices.budget;
import static dev.tollway.usage.testing.Prices.price;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.schemas.budget.Budget.SubjectType;
import dev.tollway.schemas.budget.Budget.Unit;
import dev.tollway.schemas.budget.Budget.Window;
import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.schemas.usage.UsageAggregate;
import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.UsageStreamsConfig;
import dev.tollway.usage.aggregate.UsageCounts;
import dev.tollway.usage.codec.BinaryReader;
import dev.tollway.usage.codec.InternalSerdes;
import dev.tollway.usage.cost.CostObserver;
import dev.tollway.usage.testing.UsageDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Summing events per task ahead of the repartitions ({@code TOLLWAY_USAGE_PRE_AGGREGATION}) changes when the
 * results come — at the end of each interval, by the wall clock — and how many records carry them, never what
 * they are.
 */
class PreAggregationTopologyTest {

  private static final Duration INTERVAL = Duration.ofMillis(100);

  @TempDir Path oneByOneState;
  @TempDir Path summedState;

  private final List<UsageDriver> drivers = new ArrayList<>();

  @AfterEach
  void closeDrivers() {
    drivers.forEach(UsageDriver::close);
  }

  @Test
  void shouldSendOneSumPerGroupOnceTheIntervalHasPassed() {
    // Given a pre-aggregating driver
    UsageDriver driver = summing();

    // When three requests of one model end in the same minute
    driver.pipe(
        event("a", "2026-11-26T11:58:05Z").tokens(100, 10).build(),
        event("b", "2026-11-26T11:58:20Z").tokens(200, 20).build(),
        event("c", "2026-11-26T11:58:40Z").tokens(300, 30).build());

    // Then nothing comes before the interval has passed on the wall clock
    assertThat(driver.readMinutes()).isEmpty();
    assertThat(driver.readSpend()).isEmpty();

    // And after it, one update carries the three requests
    driver.advanceWallClock(INTERVAL);
    List<KeyValue<String, UsageAggregate>> minutes = driver.readMinutes();
    assertThat(minutes).hasSize(1);
    UsageAggregate minute = minutes.get(0).value;
    assertThat(minute.requests()).isEqualTo(3);
    assertThat(minute.inputTokens()).isEqualTo(600);
    assertThat(minute.outputTokens()).isEqualTo(60);
    assertThat(minute.windowStart()).isEqualTo(Instant.parse("2026-11-26T11:58:00Z"));
    assertThat(driver.readSpend()).hasSize(1);

    // And the next interval sends nothing new
    driver.advanceWallClock(INTERVAL);
    assertThat(driver.readMinutes()).isEmpty();
  }

  @Test
  void shouldKeepEventsOfDifferentMinutesAndDaysApart() {
    // Given a pre-aggregating driver
    UsageDriver driver = summing();

    // When requests end in two minutes, one of them on the day before
    driver.pipe(
        event("late-evening", "2026-11-25T23:59:50Z").tokens(100, 10).build(),
        event("just-after-midnight", "2026-11-26T00:00:10Z").tokens(200, 20).build(),
        event("also-after-midnight", "2026-11-26T00:00:20Z").tokens(300, 30).build());
    driver.advanceWallClock(INTERVAL);

    // Then each minute and each day has its own total
    Map<String, UsageAggregate> minutes = driver.readLatestMinutes();
    assertThat(minutes.values())
        .extracting(UsageAggregate::windowStart, UsageAggregate::requests, UsageAggregate::inputTokens)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-11-25T23:59:00Z"), 1L, 100L),
            org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-11-26T00:00:00Z"), 2L, 500L));
    assertThat(driver.readLatestSpend().values())
        .extracting(spend -> spend.day().toString(), spend -> spend.requests())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("2026-11-25", 1L), org.assertj.core.groups.Tuple.tuple("2026-11-26", 2L));
  }

  @Test
  void shouldGiveTheSameMinutesSpendAndBlocksAsEventByEvent() {
    // Given the same prices and budgets in a driver that sends every event on its own and in one that sums
    UsageDriver oneByOne = driver(oneByOneState, "0ms");
    UsageDriver summed = summing();
    for (UsageDriver driver : List.of(oneByOne, summed)) {
      driver.price(price("openai", "gpt-4o-mini", 1_000_000_000L, 2_000_000_000L, null, null, null));
      driver.price(price("openai", "gpt-4o", 2_500_000_000L, 10_000_000_000L, null, null, null));
      driver.budget(budget("default/team-daily", SubjectType.team, "*", Window.day, "UTC", 30_000_000L, Unit.nanoUsd));
      driver.budget(budget("default/key-tokens", SubjectType.apiKey, "*", Window.minute, "UTC", 40_000, Unit.tokens));
    }

    // When the same events go through both: three keys of two teams, two priced models and an unpriced one,
    // failed attempts and a duplicate, over two minutes
    List<UsageEvent> events = events();
    for (int i = 0; i < events.size(); i++) {
      oneByOne.pipe(events.get(i));
      summed.pipe(events.get(i));
      if (i % 7 == 6) {
        summed.advanceWallClock(INTERVAL);
        oneByOne.advanceWallClock(INTERVAL);
      }
    }
    summed.advanceWallClock(INTERVAL);
    oneByOne.advanceWallClock(INTERVAL);

    // Then the latest minute and day totals are the same
    assertThat(summed.readLatestMinutes()).isEqualTo(oneByOne.readLatestMinutes()).isNotEmpty();
    assertThat(summed.readLatestSpend()).isEqualTo(oneByOne.readLatestSpend()).isNotEmpty();

    // And so are the blocks: the same subjects blocked by the same budgets with the same usage
    assertThat(blocks(summed)).isEqualTo(blocks(oneByOne)).isNotEmpty();
  }

  @Test
  void shouldNotDropAnOlderSumBecauseANewerOneOfTheSameIntervalWentFirst() {
    // Given a driver that sends every event on its own and one that sums (grace: 5 minutes)
    UsageDriver oneByOne = driver(oneByOneState, "0ms");
    UsageDriver summed = summing();

    // When, within one interval, a request ends in the minute of 11:59 and then one 11 minutes later, past
    // that minute's grace (their minutes are such that the later one's sum comes first in the store)
    for (UsageDriver driver : List.of(oneByOne, summed)) {
      driver.pipe(
          event("on-time", "2026-11-26T11:59:05Z").tokens(100, 10).build(),
          event("much-later", "2026-11-26T12:10:30Z").tokens(200, 20).build());
      driver.advanceWallClock(INTERVAL);
    }

    // Then the minute of 11:59 is counted by both, as event by event: sums go out oldest first
    assertThat(summed.readLatestMinutes().values())
        .extracting(UsageAggregate::windowStart, UsageAggregate::requests)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-11-26T11:59:00Z"), 1L),
            org.assertj.core.groups.Tuple.tuple(Instant.parse("2026-11-26T12:10:00Z"), 1L));
    assertThat(oneByOne.readLatestMinutes()).hasSize(2);
  }

  @Test
  void shouldKeepWaitingSumsInTheirChangelogUntilTheyAreSent() {
    // Given a pre-aggregating driver with a budget, so that all three branches sum ahead
    UsageDriver driver = summing();
    driver.price(price("openai", "gpt-4o-mini", 1_000_000_000L, 2_000_000_000L, null, null, null));
    driver.budget(budget("default/team-daily", SubjectType.team, "*", Window.day, "UTC", 1_000_000_000L, Unit.nanoUsd));

    // When two requests end and the interval has not passed yet
    driver.pipe(
        event("a", "2026-11-26T11:58:05Z").tokens(100, 10).caller("key-a", "key-a-name", "payments").build(),
        event("b", "2026-11-26T11:58:06Z").tokens(200, 20).caller("key-a", "key-a-name", "payments").build());

    // Then each waiting sum is in its store's changelog (what commits with the input offsets, and what a
    // restarted or moved task is restored from), and nothing has been sent on
    for (String store :
        List.of(UsageTopology.MINUTE_PARTIALS_STORE, UsageTopology.SPEND_PARTIALS_STORE, UsageTopology.CHARGE_PARTIALS_STORE)) {
      assertThat(latest(driver.readChangelog(store))).as(store).isNotEmpty().doesNotContainValue(null);
    }
    assertThat(driver.readMinutes()).isEmpty();

    // And once the interval has passed, the sums are sent and deleted from the changelogs in the same step
    driver.advanceWallClock(INTERVAL);
    assertThat(driver.readMinutes()).hasSize(1);
    for (String store :
        List.of(UsageTopology.MINUTE_PARTIALS_STORE, UsageTopology.SPEND_PARTIALS_STORE, UsageTopology.CHARGE_PARTIALS_STORE)) {
      assertThat(latest(driver.readChangelog(store))).as(store).isNotEmpty().allSatisfy((key, value) -> assertThat(value).isNull());
    }
  }

  @Test
  void shouldWriteEachWaitingSumWholeIntoItsChangelogAtEveryCommit() {
    // Given a pre-aggregating driver (the test driver commits after every record it pipes)
    UsageDriver driver = summing();

    // When a request ends and is committed, mid-interval
    driver.pipe(event("a", "2026-11-26T11:58:05Z").tokens(100, 10).build());

    // Then the minute's waiting sum, as it stands, is in the changelog
    assertThat(waitingMinuteCounts(driver)).containsExactly(new UsageCounts(1, 0, 100, 0, 0, 10, 0, 110));

    // And when a second request of the same minute is committed, still mid-interval, the sum written is the new whole
    driver.pipe(event("b", "2026-11-26T11:58:45Z").tokens(200, 20).build());
    assertThat(waitingMinuteCounts(driver)).containsExactly(new UsageCounts(2, 0, 300, 0, 0, 30, 0, 330));

    // And a commit with nothing new writes nothing
    driver.pipe(event("a", "2026-11-26T11:58:05Z").tokens(100, 10).build()); // a copy, dropped before the sums
    assertThat(driver.readChangelog(UsageTopology.MINUTE_PARTIALS_STORE)).isEmpty();
    assertThat(driver.readMinutes()).isEmpty();
  }

  /** The sums written to the minute sums' changelog since the last read, in order (each: latest time, then counts). */
  private static List<UsageCounts> waitingMinuteCounts(UsageDriver driver) {
    List<UsageCounts> counts = new ArrayList<>();
    for (KeyValue<Bytes, byte[]> record : driver.readChangelog(UsageTopology.MINUTE_PARTIALS_STORE)) {
      BinaryReader in = new BinaryReader(record.value, 0, "a waiting sum");
      in.readLong();
      counts.add(InternalSerdes.USAGE_COUNTS.decode(in));
      in.expectEnd();
    }
    return counts;
  }

  private static List<UsageEvent> events() {
    String[] keys = {"key-a", "key-b", "key-c"};
    String[] teams = {"payments", "search", "payments"};
    String[] models = {"gpt-4o-mini", "gpt-4o", "unpriced-model"};
    String[] times = {"2026-11-26T11:58:", "2026-11-26T11:59:"};
    List<UsageEvent> events = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      int k = i % 3;
      UsageEvent.Caller caller = new UsageEvent.Caller(keys[k], keys[k] + "-name", teams[k], null, new java.util.TreeMap<>());
      var builder =
          event("e" + i, times[i / 15] + String.format("%02d", (i * 2) % 60) + "Z")
              .model(models[(i / 3) % 3])
              .tokens(1_000L * (i + 1), 100L * (i + 1))
              .caller(caller.apiKeyId(), caller.apiKeyName(), caller.team());
      if (i % 10 == 4) {
        builder.notFinal(1).status(503);
      }
      events.add(builder.build());
    }
    events.add(events.get(3)); // a copy, counted once
    return events;
  }

  /** The latest value per key of a changelog's records (null for a delete). */
  private static Map<Bytes, byte[]> latest(List<KeyValue<Bytes, byte[]>> records) {
    Map<Bytes, byte[]> latest = new HashMap<>();
    records.forEach(record -> latest.put(record.key, record.value));
    return latest;
  }

  private static Map<String, String> blocks(UsageDriver driver) {
    Map<String, String> blocks = new HashMap<>();
    try (KeyValueIterator<String, QuotaDecision> all = driver.blocksStore().all()) {
      all.forEachRemaining(
          entry -> blocks.put(entry.key, entry.value.used() + " of " + entry.value.limit() + " until " + entry.value.blockedUntil()));
    }
    return blocks;
  }

  private UsageDriver summing() {
    return driver(summedState, INTERVAL.toMillis() + "ms");
  }

  private UsageDriver driver(Path stateDir, String preAggregation) {
    UsageDriver driver =
        new UsageDriver(stateDir, Map.of(UsageStreamsConfig.PRE_AGGREGATION, preAggregation), CostObserver.none());
    drivers.add(driver);
    return driver;
  }
}
