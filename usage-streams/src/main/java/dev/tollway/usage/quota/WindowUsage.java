package dev.tollway.usage.quota;

import dev.tollway.schemas.budget.Budget;

/**
 * What a subject used in one window or one bucket of a rolling window.
 *
 * @param tokens input plus output tokens
 * @param nanoUsd cost in nano-dollars of the priced events
 * @param unpricedEvents events whose model had no price: their tokens count, their cost cannot
 */
public record WindowUsage(long tokens, long nanoUsd, long unpricedEvents) {

  private static final WindowUsage ZERO = new WindowUsage(0, 0, 0);

  public static WindowUsage zero() {
    return ZERO;
  }

  /** What one charge adds. */
  public static WindowUsage of(Charge charge) {
    return new WindowUsage(charge.tokens(), charge.nanoUsd(), charge.unpricedEvents());
  }

  public WindowUsage plus(WindowUsage other) {
    return new WindowUsage(tokens + other.tokens, nanoUsd + other.nanoUsd, unpricedEvents + other.unpricedEvents);
  }

  /** The amount in a budget's unit. */
  public long amount(Budget.Unit unit) {
    return switch (unit) {
      case nanoUsd -> nanoUsd;
      case tokens -> tokens;
    };
  }
}
