package dev.tollway.usage.topology;

import static dev.tollway.usage.testing.Events.event;
import static dev.tollway.usage.testing.Prices.price;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tollway.schemas.price.ModelPrice.PriceTier;
import dev.tollway.schemas.price.TokenRates;
import dev.tollway.schemas.usage.SpendAggregate;
import dev.tollway.schemas.usage.SpendDimensions;
import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.cost.CostObserver;
import dev.tollway.usage.metrics.CostMetrics;
import dev.tollway.usage.testing.Events;
import dev.tollway.usage.testing.UsageDriver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cost and daily spend through the production topology. */
class SpendTopologyTest {

  @TempDir Path stateDir;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private UsageDriver driver;

  @AfterEach
  void closeDriver() {
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void shouldChargeEachKindOfTokenAtHandComputedCosts() {
    // Given claude-sonnet-4 at $3 / $15 per million, cache reads $0.30, writes $3.75, and a 200k tier
    start(Map.of());
    driver.price(
        price(
            "anthropic",
            "claude-sonnet-4-20250514",
            new TokenRates(3_000_000_000L, 15_000_000_000L, 300_000_000L, 3_750_000_000L, null),
            List.of(
                new PriceTier(
                    200_000, new TokenRates(6_000_000_000L, 22_500_000_000L, 600_000_000L, 7_500_000_000L, null)))));

    // When four requests of one key on one day: cached, cache write, reasoning, long context
    driver.pipe(
        sonnet("cached", "2026-11-26T10:00:00Z").tokens(10_000, 200).cache(8_000, 0).build(),
        sonnet("write", "2026-11-26T10:01:00Z").tokens(5_000, 100).cache(0, 4_000).build(),
        sonnet("reasoning", "2026-11-26T10:02:00Z").tokens(1_000, 3_000).reasoning(2_500).build(),
        sonnet("long", "2026-11-26T10:03:00Z").tokens(250_000, 1_000).cache(200_000, 0).build());

    // Then the day's row holds the sum of the hand-computed costs, in nano-dollars:
    //   cached    2,000 × 3,000 + 8,000 × 300 + 200 × 15,000               =  11,400,000
    //   write     1,000 × 3,000 + 4,000 × 3,750 + 100 × 15,000             =  19,500,000
    //   reasoning 1,000 × 3,000 + 500 × 15,000 + 2,500 × 15,000 (output)   =  48,000,000
    //   long      50,000 × 6,000 + 200,000 × 600 + 1,000 × 22,500 (tier)   = 442,500,000
    SpendAggregate day = single(driver.readLatestSpend());
    assertThat(day.costNanoUsd()).isEqualTo(11_400_000L + 19_500_000L + 48_000_000L + 442_500_000L);
    assertThat(day.requests()).isEqualTo(4);
    assertThat(day.inputTokens()).isEqualTo(266_000);
    assertThat(day.cacheReadInputTokens()).isEqualTo(208_000);
    assertThat(day.cacheCreationInputTokens()).isEqualTo(4_000);
    assertThat(day.outputTokens()).isEqualTo(4_300);
    assertThat(day.reasoningTokens()).isEqualTo(2_500);
    assertThat(day.unpricedRequests()).isZero();
    assertThat(day.estimatedRequests()).isZero();
    assertThat(day.day()).isEqualTo(LocalDate.parse("2026-11-26"));
    assertThat(day.timeZone()).isEqualTo("UTC");
    assertThat(day.dimensions())
        .isEqualTo(
            new SpendDimensions(
                "default/keys/checkout",
                "checkout",
                "payments",
                "claude-sonnet-4-20250514",
                "anthropic",
                "default/llm-route#0",
                "default/agentgateway"));
    assertThat(day.key())
        .isEqualTo(
            "default/keys/checkout|payments|claude-sonnet-4-20250514|anthropic|default/llm-route#0|default/agentgateway@2026-11-26");
  }

  @Test
  void shouldSplitDaysAtMidnightInTheConfiguredTimeZone() {
    // Given days in Europe/Paris (UTC+1 in November)
    start(Map.of("TOLLWAY_USAGE_TIME_ZONE", "Europe/Paris"));
    driver.price(price("openai", "gpt-4o-mini", 1_000_000_000L, 1_000_000_000L, null, null, null));

    // When one request ends at 23:59 and one at 00:01, Paris time
    driver.pipe(
        event("before", "2026-11-26T22:59:00Z").tokens(1_000, 0).build(),
        event("after", "2026-11-26T23:01:00Z").tokens(2_000, 0).build());

    // Then they fall in two days, each with its own cost
    Map<String, SpendAggregate> days = driver.readLatestSpend();
    assertThat(days.values())
        .extracting(SpendAggregate::day, SpendAggregate::timeZone, SpendAggregate::costNanoUsd)
        .containsExactlyInAnyOrder(
            tuple(LocalDate.parse("2026-11-26"), "Europe/Paris", 1_000_000L),
            tuple(LocalDate.parse("2026-11-27"), "Europe/Paris", 2_000_000L));
  }

  @Test
  void shouldKeepBothRequestsInOneDayInUtc() {
    // Given the default zone, UTC
    start(Map.of());

    // When the same two requests
    driver.pipe(
        event("before", "2026-11-26T22:59:00Z").tokens(1_000, 0).build(),
        event("after", "2026-11-26T23:01:00Z").tokens(2_000, 0).build());

    // Then one day
    assertThat(single(driver.readLatestSpend()).requests()).isEqualTo(2);
  }

  @Test
  void shouldChargeTheSameEventOnce() {
    // Given
    start(Map.of());
    driver.price(price("openai", "gpt-4o-mini", 1_000_000_000L, 1_000_000_000L, null, null, null));
    UsageEvent once = event("e1", "2026-11-26T12:00:05Z").tokens(1_000, 500).build();

    // When the same event arrives three times (producer retries, a replay)
    driver.pipe(once, once, once);

    // Then it is charged once
    SpendAggregate day = single(driver.readLatestSpend());
    assertThat(day.requests()).isEqualTo(1);
    assertThat(day.costNanoUsd()).isEqualTo(1_500_000L);
  }

  @Test
  void shouldNotCountAnEventArrivingLaterThanTheDeduplicationHorizon() {
    // Given stream time at 12:30 (the horizon is one minute plus twice the 5-minute grace: 11 minutes)
    start(Map.of());
    driver.pipe(event("now", "2026-11-26T12:30:00Z").tokens(1, 0).build());

    // When an event of 12:00 arrives: its day is still open, but a copy of it could no longer be recognised
    driver.pipe(event("late", "2026-11-26T12:00:00Z").tokens(1, 0).build());

    // Then it is counted nowhere rather than perhaps twice
    assertThat(single(driver.readLatestSpend()).requests()).isEqualTo(1);
  }

  @Test
  void shouldCountAndFlagAModelWithoutAPriceNeverFree() {
    // Given a catalog that prices gpt-4o-mini only
    start(Map.of());
    driver.price(price("openai", "gpt-4o-mini", 1_000_000_000L, 1_000_000_000L, null, null, null));

    // When a request is answered by a model the catalog does not know, and one by a priced model
    driver.pipe(
        event("unknown", "2026-11-26T12:00:05Z").model("my-finetune").tokens(700, 300).build(),
        event("known", "2026-11-26T12:00:06Z").model("gpt-4o-mini").tokens(1_000, 0).build());

    // Then the unknown model's row counts its tokens and flags it unpriced, with no cost
    Map<String, SpendAggregate> rows = driver.readLatestSpend();
    SpendAggregate unknown = byModel(rows, "my-finetune");
    assertThat(unknown.unpricedRequests()).isEqualTo(1);
    assertThat(unknown.costNanoUsd()).isZero();
    assertThat(unknown.totalTokens()).isEqualTo(1_000);
    assertThat(byModel(rows, "gpt-4o-mini").unpricedRequests()).isZero();
    // and the metric counts it by provider and model
    assertThat(meters.get(CostMetrics.UNPRICED).tag("provider", "openai").tag("model", "my-finetune").counter().count())
        .isEqualTo(1.0);
    assertThat(meters.get(CostMetrics.COST).tag("model", "gpt-4o-mini").counter().count()).isEqualTo(0.001);
  }

  @Test
  void shouldPriceADatedModelByItsUndatedAliasAndFlagAMissingCacheRate() {
    // Given a price for the alias only, without a cache read rate
    start(Map.of());
    driver.price(price("openai", "gpt-4o", 2_500_000_000L, 10_000_000_000L, null, null, null));

    // When the provider reports the dated model, with cached input
    driver.pipe(event("e1", "2026-11-26T12:00:05Z").model("gpt-4o-2024-08-06").tokens(1_000, 100).cache(600, 0).build());

    // Then all input at the input rate, flagged as an estimate: 1,000 × 2,500 + 100 × 10,000
    SpendAggregate day = single(driver.readLatestSpend());
    assertThat(day.costNanoUsd()).isEqualTo(3_500_000L);
    assertThat(day.estimatedRequests()).isEqualTo(1);
  }

  @Test
  void shouldChargeFailedAttemptsButCountTheRequestOnce() {
    // Given
    start(Map.of());
    driver.price(price("openai", "gpt-4o-mini", 1_000_000_000L, 1_000_000_000L, null, null, null));

    // When a request's first attempt failed after consuming tokens and its retry answered
    driver.pipe(
        event("a1", "2026-11-26T12:00:05Z").request("r1").notFinal(1).status(503).tokens(1_000, 0).build(),
        event("a2", "2026-11-26T12:00:06Z").request("r1").attempt(2).tokens(1_000, 1_000).build());

    // Then one request, both attempts' tokens and cost
    SpendAggregate day = single(driver.readLatestSpend());
    assertThat(day.requests()).isEqualTo(1);
    assertThat(day.errors()).isZero();
    assertThat(day.costNanoUsd()).isEqualTo(3_000_000L);
  }

  @Test
  void shouldKeepARenamedKeyInOneRowUnderItsLatestName() {
    // Given
    start(Map.of());

    // When the same key id arrives under two names
    driver.pipe(
        event("e1", "2026-11-26T12:00:05Z").caller("k1", "old-name", null).tokens(1, 0).build(),
        event("e2", "2026-11-26T12:00:06Z").caller("k1", "new-name", null).tokens(1, 0).build());

    // Then one row, named by the later event
    SpendAggregate day = single(driver.readLatestSpend());
    assertThat(day.requests()).isEqualTo(2);
    assertThat(day.dimensions().apiKeyName()).isEqualTo("new-name");
  }

  private void start(Map<String, String> env) {
    CostObserver observer = new CostMetrics(meters);
    driver = new UsageDriver(stateDir, env, observer);
  }

  private static Events.Builder sonnet(String id, String endTime) {
    return event(id, endTime)
        .provider("anthropic")
        .model("claude-sonnet-4-20250514")
        .caller("default/keys/checkout", "checkout", "payments");
  }

  private static SpendAggregate single(Map<String, SpendAggregate> rows) {
    assertThat(rows).hasSize(1);
    return rows.values().iterator().next();
  }

  private static SpendAggregate byModel(Map<String, SpendAggregate> rows, String model) {
    return rows.values().stream().filter(row -> row.dimensions().model().equals(model)).findFirst().orElseThrow();
  }
}
