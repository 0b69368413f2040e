package dev.tollway.usage.quota;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.cost.Cost;

/**
 * What one usage event charges one subject: the value sent, keyed by subject, to the budget processor.
 *
 * @param subject who is charged
 * @param tokens input plus output tokens
 * @param nanoUsd the cost in nano-dollars (0 when unpriced)
 * @param unpriced whether the event's model had no price
 */
public record Charge(Subject subject, long tokens, long nanoUsd, boolean unpriced) {

  public Charge {
    requireNonNull(subject, "subject");
  }

  public static Charge of(Subject subject, UsageEvent event, Cost cost) {
    requireNonNull(event, "event");
    requireNonNull(cost, "cost");
    long tokens = Math.max(0, event.tokens().inputTokens()) + Math.max(0, event.tokens().outputTokens());
    return new Charge(subject, tokens, cost.nanoUsd(), cost.isUnpriced() && tokens > 0);
  }
}
