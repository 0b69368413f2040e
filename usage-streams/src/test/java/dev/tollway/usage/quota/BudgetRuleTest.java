package dev.tollway.usage.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.schemas.budget.Budget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BudgetRuleTest {

  @Test
  void shouldBlockWhenUsageReachesTheLimitExactly() {
    // Given $0.05 a day and exactly $0.05 used
    BudgetRule rule = rule(Budget.Window.day, 50, Budget.Unit.nanoUsd);
    long now = millis("2026-11-26T12:00:00Z");
    NavigableMap<Long, WindowUsage> buckets = new TreeMap<>();
    buckets.put(millis("2026-11-26T00:00:00Z"), new WindowUsage(1_000, 50, 0));

    // When
    BudgetState state = rule.evaluate(buckets, now);

    // Then
    assertThat(state.exhausted()).isTrue();
    assertThat(state.used()).isEqualTo(50);
    assertThat(state.blockedUntil()).isEqualTo(Instant.parse("2026-11-27T00:00:00Z"));
  }

  @Test
  void shouldIgnoreAnEarlierDay() {
    // Given yesterday's usage only
    BudgetRule rule = rule(Budget.Window.day, 50, Budget.Unit.nanoUsd);
    NavigableMap<Long, WindowUsage> buckets = new TreeMap<>();
    buckets.put(millis("2026-11-25T00:00:00Z"), new WindowUsage(1_000, 500, 0));

    // When / Then
    assertThat(rule.evaluate(buckets, millis("2026-11-26T00:00:00Z")).exhausted()).isFalse();
  }

  @Test
  void shouldLiftARollingHourWhenEnoughOfTheOldestUsageHasSlidOut() {
    // Given 100 tokens an hour; 60 at 11:10, 30 at 11:40 and 30 at 11:55 — 120 in the last hour at 12:00
    BudgetRule rule = rule(Budget.Window.hour, 100, Budget.Unit.tokens);
    NavigableMap<Long, WindowUsage> buckets = new TreeMap<>();
    buckets.put(millis("2026-11-26T11:10:00Z"), new WindowUsage(60, 0, 0));
    buckets.put(millis("2026-11-26T11:40:00Z"), new WindowUsage(30, 0, 0));
    buckets.put(millis("2026-11-26T11:55:00Z"), new WindowUsage(30, 0, 0));

    // When
    BudgetState state = rule.evaluate(buckets, millis("2026-11-26T12:00:00Z"));

    // Then blocked until the 11:10 minute leaves the hour (60 remain, under 100)
    assertThat(state.exhausted()).isTrue();
    assertThat(state.used()).isEqualTo(120);
    assertThat(state.blockedUntil()).isEqualTo(Instant.parse("2026-11-26T12:11:00Z"));
    assertThat(rule.evaluate(buckets, millis("2026-11-26T12:11:00Z")).exhausted()).isFalse();
  }

  @Test
  void shouldApplyToTheNamedSubjectOrToEverySubjectOfTheType() {
    BudgetRule one = rule("payments");
    BudgetRule each = rule(Budget.EACH);

    assertThat(one.appliesTo(new Subject(Budget.SubjectType.team, "payments"))).isTrue();
    assertThat(one.appliesTo(new Subject(Budget.SubjectType.team, "growth"))).isFalse();
    assertThat(one.appliesTo(new Subject(Budget.SubjectType.apiKey, "payments"))).isFalse();
    assertThat(each.appliesTo(new Subject(Budget.SubjectType.team, "growth"))).isTrue();
  }

  @Test
  void shouldRefuseABudgetThatCannotBeEnforcedSayingWhy() {
    List<String> reasons = new ArrayList<>();

    assertThat(BudgetRule.of(budget("payments", Budget.Window.day, "Mars/Olympus", 1, Budget.Unit.tokens), reasons::add))
        .isEmpty();
    assertThat(BudgetRule.of(budget("payments", Budget.Window.day, "UTC", -1, Budget.Unit.tokens), reasons::add))
        .isEmpty();
    assertThat(BudgetRule.of(budget("", Budget.Window.day, "UTC", 1, Budget.Unit.tokens), reasons::add)).isEmpty();
    assertThat(reasons)
        .containsExactly(
            "timeZone: 'Mars/Olympus' (expected a zone such as UTC or Europe/Paris)",
            "limit: -1 (expected: zero or more)",
            "subject: empty (expected a key id, team, route or *)");
  }

  private static BudgetRule rule(Budget.Window window, long limit, Budget.Unit unit) {
    return BudgetRule.of(budget("payments", window, "UTC", limit, unit), reason -> {}).orElseThrow();
  }

  private static BudgetRule rule(String subject) {
    return BudgetRule.of(budget(subject, Budget.Window.day, "UTC", 1, Budget.Unit.tokens), reason -> {}).orElseThrow();
  }

  private static Budget budget(String subject, Budget.Window window, String zone, long limit, Budget.Unit unit) {
    return new Budget(
        Budget.SCHEMA_VERSION, "default/b", Budget.SubjectType.team, subject, window, zone, limit, unit);
  }

  private static long millis(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }
}
