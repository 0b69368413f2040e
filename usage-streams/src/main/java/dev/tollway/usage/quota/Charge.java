package dev.tollway.usage.quota;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.cost.Cost;

/**
 * What usage charges one subject: the value sent, keyed by subject, to the budget processor. One event's
 * charge, or the sum of several events' charges in the same second.
 *
 * @param subject who is charged
 * @param tokens input plus output tokens
 * @param nanoUsd the cost in nano-dollars (0 for unpriced events)
 * @param unpricedEvents how many of the events used tokens of a model that had no price
 */
public record Charge(Subject subject, long tokens, long nanoUsd, long unpricedEvents) {

  public Charge {
    requireNonNull(subject, "subject");
  }

  /** What one event charges the subject. */
  public static Charge of(Subject subject, UsageEvent event, Cost cost) {
    requireNonNull(event, "event");
    requireNonNull(cost, "cost");
    long tokens = Math.max(0, event.tokens().inputTokens()) + Math.max(0, event.tokens().outputTokens());
    return new Charge(subject, tokens, cost.nanoUsd(), cost.isUnpriced() && tokens > 0 ? 1 : 0);
  }

  /** This charge and {@code other} (of the same subject) together. */
  public Charge plus(Charge other) {
    requireNonNull(other, "other");
    return new Charge(subject, tokens + other.tokens, nanoUsd + other.nanoUsd, unpricedEvents + other.unpricedEvents);
  }
}
