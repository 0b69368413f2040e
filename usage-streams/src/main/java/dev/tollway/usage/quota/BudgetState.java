package dev.tollway.usage.quota;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Where a subject stands against one budget at one moment.
 *
 * @param used what the subject used in the current window, in the budget's unit
 * @param windowStart start of the current window (for a rolling window: now minus its length)
 * @param windowEnd end of the current window (for a rolling window: now)
 * @param exhausted whether {@code used} has reached the limit
 * @param blockedUntil when the block lifts by itself if nothing more is used: the end of a calendar window,
 *     or for a rolling window the moment enough usage has slid out to be under the limit again
 */
public record BudgetState(long used, Instant windowStart, Instant windowEnd, boolean exhausted, Instant blockedUntil) {

  public BudgetState {
    requireNonNull(windowStart, "windowStart");
    requireNonNull(windowEnd, "windowEnd");
    requireNonNull(blockedUntil, "blockedUntil");
  }
}
