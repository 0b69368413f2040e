package dev.tollway.usage.quota;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.quota.QuotaDecision;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A budget that can be enforced: its time zone parsed, its limit checked.
 *
 * <p>A subject has exhausted a budget when what it used in the current window is at least the limit (so a
 * limit of 0 blocks the subject outright). Requests already in flight when that happens are not stopped:
 * they complete and are charged, so the final usage of a window can exceed the limit by what those requests
 * cost (the overshoot).
 *
 * @param budget the budget as published
 * @param spec its window shape
 */
public record BudgetRule(Budget budget, WindowSpec spec) {

  public BudgetRule {
    requireNonNull(budget, "budget");
    requireNonNull(spec, "spec");
  }

  /**
   * The rule of a budget, or empty when the budget cannot be enforced: an unknown time zone, a negative
   * limit or an empty subject. {@code reason} receives why.
   */
  public static Optional<BudgetRule> of(Budget budget, Consumer<String> reason) {
    requireNonNull(budget, "budget");
    requireNonNull(reason, "reason");
    if (budget.limit() < 0) {
      reason.accept("limit: " + budget.limit() + " (expected: zero or more)");
      return Optional.empty();
    }
    if (budget.subject().isEmpty()) {
      reason.accept("subject: empty (expected a key id, team, route or *)");
      return Optional.empty();
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(budget.timeZone().isEmpty() ? "UTC" : budget.timeZone());
    } catch (DateTimeException e) {
      reason.accept("timeZone: '" + budget.timeZone() + "' (expected a zone such as UTC or Europe/Paris)");
      return Optional.empty();
    }
    return Optional.of(new BudgetRule(budget, new WindowSpec(budget.window(), zone)));
  }

  /** Whether this budget applies to {@code subject}: same type, and the same id or {@code *}. */
  public boolean appliesTo(Subject subject) {
    requireNonNull(subject, "subject");
    return budget.subjectType() == subject.type()
        && (Budget.EACH.equals(budget.subject()) || budget.subject().equals(subject.id()));
  }

  /**
   * Where a subject stands at {@code nowMs}, given its usage buckets for this rule's window shape (bucket
   * start → usage).
   */
  public BudgetState evaluate(NavigableMap<Long, WindowUsage> buckets, long nowMs) {
    requireNonNull(buckets, "buckets");
    if (spec.rolling()) {
      return evaluateRolling(buckets, nowMs);
    }
    WindowSpec.Interval window = spec.calendarWindow(nowMs);
    WindowUsage usage = buckets.getOrDefault(window.start().toEpochMilli(), WindowUsage.zero());
    long used = usage.amount(budget.unit());
    return new BudgetState(used, window.start(), window.end(), used >= budget.limit(), window.end());
  }

  private BudgetState evaluateRolling(NavigableMap<Long, WindowUsage> buckets, long nowMs) {
    long length = spec.length().toMillis();
    long bucket = spec.bucketMillis();
    // buckets ahead of the clock count too: a proxy's clock may run slightly ahead of this one
    NavigableMap<Long, WindowUsage> live = buckets.tailMap(nowMs - length - bucket, false);
    long used = 0;
    for (WindowUsage usage : live.values()) {
      used += usage.amount(budget.unit());
    }
    boolean exhausted = used >= budget.limit();
    long until = nowMs + length;
    if (exhausted) {
      long remaining = used;
      for (Map.Entry<Long, WindowUsage> entry : live.entrySet()) {
        remaining -= entry.getValue().amount(budget.unit());
        if (remaining < budget.limit()) {
          until = entry.getKey() + bucket + length;
          break;
        }
      }
    }
    return new BudgetState(
        used, Instant.ofEpochMilli(nowMs - length), Instant.ofEpochMilli(nowMs), exhausted, Instant.ofEpochMilli(until));
  }

  /** The decision that blocks {@code subject} in the state {@code state}. */
  public QuotaDecision decision(Subject subject, BudgetState state, Instant decidedAt) {
    requireNonNull(subject, "subject");
    requireNonNull(state, "state");
    requireNonNull(decidedAt, "decidedAt");
    return new QuotaDecision(
        QuotaDecision.SCHEMA_VERSION,
        subject.decisionType(),
        subject.id(),
        budget.name(),
        QuotaDecision.Window.valueOf(budget.window().name()),
        state.windowStart(),
        state.windowEnd(),
        state.used(),
        budget.limit(),
        QuotaDecision.Unit.valueOf(budget.unit().name()),
        state.blockedUntil(),
        decidedAt);
  }
}
