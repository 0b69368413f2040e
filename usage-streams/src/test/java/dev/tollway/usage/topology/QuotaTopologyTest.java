package dev.tollway.usage.topology;

import static dev.tollway.usage.testing.Events.event;
import static dev.tollway.usage.testing.Prices.budget;
import static dev.tollway.usage.testing.Prices.price;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.budget.Budget.SubjectType;
import dev.tollway.schemas.budget.Budget.Unit;
import dev.tollway.schemas.budget.Budget.Window;
import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.cost.CostObserver;
import dev.tollway.usage.testing.Events;
import dev.tollway.usage.testing.UsageDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Budgets into quota decisions through the production topology. The wall clock starts at 12:00 UTC on
 * 2026-11-26 (13:00 in Paris); each request below costs $0.02 (10,000 input and 5,000 output tokens at $1
 * and $2 per million).
 */
class QuotaTopologyTest {

  private static final long TWO_CENTS = 20_000_000L;
  private static final String PAYMENTS_KEY = "team:payments|default/payments-daily";

  @TempDir Path stateDir;

  private UsageDriver driver;

  @BeforeEach
  void startDriver() {
    driver = new UsageDriver(stateDir, Map.of(), CostObserver.none());
    driver.price(price("openai", "gpt-4o-mini", 1_000_000_000L, 2_000_000_000L, null, null, null));
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  @Test
  void shouldEmitExactlyOneDecisionWhenABudgetIsCrossed() {
    // Given a daily budget of $0.05 for the payments team, in Paris time
    driver.budget(paymentsDaily(50_000_000L));

    // When the team makes four requests: the third crosses the limit, the fourth was already in flight
    driver.pipe(payments("r1", "2026-11-26T12:00:01Z"), payments("r2", "2026-11-26T12:00:02Z"));
    assertThat(driver.readQuota()).isEmpty();
    driver.pipe(payments("r3", "2026-11-26T12:00:03Z"), payments("r4", "2026-11-26T12:00:04Z"));
    driver.advanceWallClock(Duration.ofSeconds(5));

    // Then one decision, blocking until midnight in Paris (23:00 UTC)
    List<KeyValue<String, QuotaDecision>> decisions = driver.readQuota();
    assertThat(decisions).hasSize(1);
    QuotaDecision decision = decisions.get(0).value;
    assertThat(decisions.get(0).key).isEqualTo(PAYMENTS_KEY);
    assertThat(decision.subjectType()).isEqualTo(QuotaDecision.SubjectType.team);
    assertThat(decision.subject()).isEqualTo("payments");
    assertThat(decision.budget()).isEqualTo("default/payments-daily");
    assertThat(decision.window()).isEqualTo(QuotaDecision.Window.day);
    assertThat(decision.used()).isEqualTo(3 * TWO_CENTS);
    assertThat(decision.limit()).isEqualTo(50_000_000L);
    assertThat(decision.unit()).isEqualTo(QuotaDecision.Unit.nanoUsd);
    assertThat(decision.windowStart()).isEqualTo(Instant.parse("2026-11-25T23:00:00Z"));
    assertThat(decision.windowEnd()).isEqualTo(Instant.parse("2026-11-26T23:00:00Z"));
    assertThat(decision.blockedUntil()).isEqualTo(Instant.parse("2026-11-26T23:00:00Z"));
    assertThat(decision.decidedAt()).isEqualTo(UsageDriver.START);
    // and the stored block follows the overshoot of the request that was in flight
    assertThat(driver.blocksStore().get(PAYMENTS_KEY).used()).isEqualTo(4 * TWO_CENTS);
  }

  @Test
  void shouldStartChargingASubjectWhenABudgetForItArrivesAfterItsFirstRequests() {
    // Given two requests of the team while no budget applies to it: nothing keeps a total for it
    driver.pipe(payments("r1", "2026-11-26T12:00:01Z"), payments("r2", "2026-11-26T12:00:02Z"));
    driver.advanceWallClock(Duration.ofSeconds(1));
    assertThat(driver.readQuota()).isEmpty();

    // When a daily budget of $0.03 for the team arrives, and the team makes two more requests
    driver.budget(paymentsDaily(30_000_000L));
    driver.pipe(payments("r3", "2026-11-26T12:00:03Z"), payments("r4", "2026-11-26T12:00:04Z"));
    driver.advanceWallClock(Duration.ofSeconds(5));

    // Then those two are charged and cross it, once
    List<KeyValue<String, QuotaDecision>> decisions = driver.readQuota();
    assertThat(decisions).hasSize(1);
    assertThat(decisions.get(0).key).isEqualTo(PAYMENTS_KEY);
    assertThat(decisions.get(0).value.used()).isEqualTo(2 * TWO_CENTS);
  }

  @Test
  void shouldLiftTheBlockWhenTheDayRollsOverInTheBudgetsTimeZone() {
    // Given the team blocked on its Paris day
    driver.budget(paymentsDaily(30_000_000L));
    driver.pipe(payments("r1", "2026-11-26T12:00:01Z"), payments("r2", "2026-11-26T12:00:02Z"));
    assertThat(driver.readQuota()).hasSize(1);

    // When the wall clock reaches 23:59:59 in Paris, then midnight
    driver.advanceWallClock(Duration.ofHours(10).plusMinutes(59).plusSeconds(59));
    List<KeyValue<String, QuotaDecision>> beforeMidnight = driver.readQuota();
    driver.advanceWallClock(Duration.ofSeconds(1));
    List<KeyValue<String, QuotaDecision>> atMidnight = driver.readQuota();

    // Then still blocked just before, lifted by a tombstone at midnight Paris time (23:00 UTC)
    assertThat(beforeMidnight).isEmpty();
    assertThat(atMidnight).containsExactly(KeyValue.pair(PAYMENTS_KEY, null));
    assertThat(driver.blocksStore().get(PAYMENTS_KEY)).isNull();

    // And the new day starts from zero: a request after midnight is under the limit
    driver.pipe(payments("r3", "2026-11-26T23:00:02Z"));
    assertThat(driver.readQuota()).isEmpty();
  }

  @Test
  void shouldLiftTheBlockWhenTheBudgetIsRaisedAndBlockAgainAtTheNewLimit() {
    // Given the team blocked at $0.03
    driver.budget(paymentsDaily(30_000_000L));
    driver.pipe(payments("r1", "2026-11-26T12:00:01Z"), payments("r2", "2026-11-26T12:00:02Z"));
    assertThat(driver.readQuota()).hasSize(1);

    // When the budget is raised to $0.10 and the next check runs
    driver.budget(paymentsDaily(100_000_000L));
    driver.advanceWallClock(Duration.ofSeconds(1));

    // Then the block is lifted
    assertThat(driver.readQuota()).containsExactly(KeyValue.pair(PAYMENTS_KEY, null));

    // And crossing the new limit blocks again, once
    driver.pipe(
        payments("r3", "2026-11-26T12:00:03Z"),
        payments("r4", "2026-11-26T12:00:04Z"),
        payments("r5", "2026-11-26T12:00:05Z"),
        payments("r6", "2026-11-26T12:00:06Z"));
    List<KeyValue<String, QuotaDecision>> again = driver.readQuota();
    assertThat(again).hasSize(1);
    assertThat(again.get(0).value.used()).isEqualTo(5 * TWO_CENTS);
    assertThat(again.get(0).value.limit()).isEqualTo(100_000_000L);
  }

  @Test
  void shouldLiftTheBlockWhenTheBudgetIsRemoved() {
    // Given
    driver.budget(paymentsDaily(10_000_000L));
    driver.pipe(payments("r1", "2026-11-26T12:00:01Z"));
    assertThat(driver.readQuota()).hasSize(1);

    // When
    driver.removeBudget("default/payments-daily");
    driver.advanceWallClock(Duration.ofSeconds(1));

    // Then
    assertThat(driver.readQuota()).containsExactly(KeyValue.pair(PAYMENTS_KEY, null));
  }

  @Test
  void shouldBlockWhenABudgetIsLoweredBelowWhatWasAlreadyUsed() {
    // Given two requests under a generous budget
    driver.budget(paymentsDaily(1_000_000_000L));
    driver.pipe(payments("r1", "2026-11-26T12:00:01Z"), payments("r2", "2026-11-26T12:00:02Z"));

    // When the budget is lowered to $0.01
    driver.budget(paymentsDaily(10_000_000L));
    driver.advanceWallClock(Duration.ofSeconds(1));

    // Then the next check blocks the team without waiting for another request
    List<KeyValue<String, QuotaDecision>> decisions = driver.readQuota();
    assertThat(decisions).hasSize(1);
    assertThat(decisions.get(0).value.used()).isEqualTo(2 * TWO_CENTS);
  }

  @Test
  void shouldChargeTheSameEventOnce() {
    // Given a budget between one and two requests
    driver.budget(paymentsDaily(30_000_000L));
    UsageEvent request = payments("r1", "2026-11-26T12:00:01Z");

    // When the same event arrives twice
    driver.pipe(request, request);
    driver.advanceWallClock(Duration.ofSeconds(1));

    // Then it was charged once: no decision
    assertThat(driver.readQuota()).isEmpty();
  }

  @Test
  void shouldBlockEachApiKeySeparatelyOnATokenBudgetForEveryKey() {
    // Given 40,000 tokens a day for each API key
    driver.budget(budget("default/per-key", SubjectType.apiKey, "*", Window.day, "UTC", 40_000, Unit.tokens));

    // When key a makes three requests of 15,000 tokens and key b one
    driver.pipe(
        key("a1", "k-a").build(), key("a2", "k-a").build(), key("b1", "k-b").build(), key("a3", "k-a").build());

    // Then only key a is blocked
    List<KeyValue<String, QuotaDecision>> decisions = driver.readQuota();
    assertThat(decisions).extracting(decision -> decision.key).containsExactly("apiKey:k-a|default/per-key");
    assertThat(decisions.get(0).value.used()).isEqualTo(45_000);
    assertThat(decisions.get(0).value.unit()).isEqualTo(QuotaDecision.Unit.tokens);
  }

  @Test
  void shouldApplyARouteBudgetToEveryRuleOfTheRoute() {
    // Given $0.03 a month for everyone on the route default/llm-route
    driver.budget(
        budget("default/route-monthly", SubjectType.route, "default/llm-route", Window.month, "UTC", 30_000_000L, Unit.nanoUsd));

    // When two requests match two rules of that route
    driver.pipe(
        event("r1", "2026-11-26T12:00:01Z").route("default/llm-route#0").tokens(10_000, 5_000).build(),
        event("r2", "2026-11-26T12:00:02Z").route("default/llm-route#1").tokens(10_000, 5_000).build());

    // Then the route is blocked until the first of next month
    List<KeyValue<String, QuotaDecision>> decisions = driver.readQuota();
    assertThat(decisions).hasSize(1);
    assertThat(decisions.get(0).key).isEqualTo("route:default/llm-route|default/route-monthly");
    assertThat(decisions.get(0).value.blockedUntil()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
  }

  @Test
  void shouldLiftARollingMinuteBlockOnceTheUsageSlidOut() {
    // Given 20,000 tokens per rolling minute for key k
    driver.budget(budget("default/burst", SubjectType.apiKey, "k", Window.minute, "UTC", 20_000, Unit.tokens));

    // When two requests of 15,000 tokens at 12:00:00.2 and 12:00:10.5 (wall clock 12:00:00)
    driver.pipe(
        event("r1", "2026-11-26T12:00:00.200Z").caller("k", "k", null).tokens(10_000, 5_000).build(),
        event("r2", "2026-11-26T12:00:10.500Z").caller("k", "k", null).tokens(10_000, 5_000).build());

    // Then blocked until the first request's one-second bucket slides out of the minute: 12:01:01
    List<KeyValue<String, QuotaDecision>> decisions = driver.readQuota();
    assertThat(decisions).hasSize(1);
    assertThat(decisions.get(0).value.blockedUntil()).isEqualTo(Instant.parse("2026-11-26T12:01:01Z"));
    assertThat(decisions.get(0).value.window()).isEqualTo(QuotaDecision.Window.minute);

    // And lifted once the wall clock gets there, not before
    driver.advanceWallClock(Duration.ofSeconds(60));
    assertThat(driver.readQuota()).isEmpty();
    driver.advanceWallClock(Duration.ofSeconds(1));
    assertThat(driver.readQuota()).containsExactly(KeyValue.pair("apiKey:k|default/burst", null));
  }

  @Test
  void shouldNotChargeUnpricedUsageToADollarBudgetButToATokenBudget() {
    // Given a dollar and a token budget for the team
    driver.budget(paymentsDaily(10_000_000L));
    driver.budget(budget("default/payments-tokens", SubjectType.team, "payments", Window.day, "UTC", 10_000, Unit.tokens));

    // When the team uses a model without a price
    driver.pipe(
        event("r1", "2026-11-26T12:00:01Z").model("no-price").caller("k", "k", "payments").tokens(10_000, 5_000).build());

    // Then only the token budget blocks
    assertThat(driver.readQuota())
        .extracting(decision -> decision.key)
        .containsExactly("team:payments|default/payments-tokens");
  }

  @Test
  void shouldIgnoreABudgetThatCannotBeEnforcedAndKeepTheOthers() {
    // Given a budget with an unknown time zone next to a valid one
    driver.budget(
        budget("default/broken", SubjectType.team, "payments", Window.day, "Mars/Olympus", 1, Unit.nanoUsd));
    driver.budget(paymentsDaily(10_000_000L));

    // When
    driver.pipe(payments("r1", "2026-11-26T12:00:01Z"));

    // Then the valid one still blocks
    assertThat(driver.readQuota()).extracting(decision -> decision.key).containsExactly(PAYMENTS_KEY);
  }

  private static Budget paymentsDaily(long limitNanoUsd) {
    return budget(
        "default/payments-daily", SubjectType.team, "payments", Window.day, "Europe/Paris", limitNanoUsd, Unit.nanoUsd);
  }

  private static UsageEvent payments(String id, String endTime) {
    return event(id, endTime).caller("default/keys/checkout", "checkout", "payments").tokens(10_000, 5_000).build();
  }

  private static Events.Builder key(String id, String keyId) {
    return event(id, "2026-11-26T12:00:01Z").caller(keyId, keyId, null).tokens(10_000, 5_000);
  }
}
