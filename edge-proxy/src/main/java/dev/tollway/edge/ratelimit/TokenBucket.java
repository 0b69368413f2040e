package dev.tollway.edge.ratelimit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket of {@code capacity} tokens that gets {@code refill} tokens back at the end of every
 * {@code interval} (agentgateway's local limit: capacity = limit + burst, refill = limit, discrete refills).
 * It starts full. Lock-free: the number of refill intervals elapsed and the tokens available are packed into
 * one {@code long} and changed with compare-and-set, so no request waits for another and none allocates.
 *
 * <p>Time is passed in (milliseconds of an injected clock); a clock that goes backwards refills nothing.
 */
final class TokenBucket {

  private static final int AVAILABLE_BITS = 34;
  private static final long AVAILABLE_MASK = (1L << AVAILABLE_BITS) - 1;
  private static final long MAX_INTERVALS = (1L << (63 - AVAILABLE_BITS)) - 1;

  private final long capacity;
  private final long refill;
  private final long intervalMillis;
  private final long origin;
  private final AtomicLong state;

  /**
   * @param capacity the most tokens the bucket holds (below 2^34)
   * @param refill tokens added per interval
   * @param intervalMillis the refill period
   * @param nowMillis when the bucket is created (full)
   */
  TokenBucket(long capacity, long refill, long intervalMillis, long nowMillis) {
    if (capacity <= 0 || capacity > AVAILABLE_MASK || refill <= 0 || intervalMillis <= 0) {
      throw new IllegalArgumentException(
          "capacity " + capacity + ", refill " + refill + ", interval " + intervalMillis + "ms");
    }
    this.capacity = capacity;
    this.refill = refill;
    this.intervalMillis = intervalMillis;
    this.origin = nowMillis;
    this.state = new AtomicLong(pack(0, capacity));
  }

  long capacity() {
    return capacity;
  }

  /** Takes {@code n} tokens if that many are available; all or nothing. */
  boolean tryTake(long n, long nowMillis) {
    while (true) {
      long current = state.get();
      long refilled = refilled(current, nowMillis);
      long available = refilled & AVAILABLE_MASK;
      if (available < n) {
        return false;
      }
      if (state.compareAndSet(current, refilled - n)) {
        return true;
      }
    }
  }

  /** Removes up to {@code n} tokens, never below zero (tokens used by an answer already given). */
  void debit(long n, long nowMillis) {
    if (n <= 0) {
      return;
    }
    while (true) {
      long current = state.get();
      long refilled = refilled(current, nowMillis);
      long available = refilled & AVAILABLE_MASK;
      if (state.compareAndSet(current, refilled - Math.min(n, available))) {
        return;
      }
    }
  }

  /** Gives back {@code n} tokens taken by a request that was refused by another limit, up to the capacity. */
  void giveBack(long n, long nowMillis) {
    while (true) {
      long current = state.get();
      long refilled = refilled(current, nowMillis);
      long available = refilled & AVAILABLE_MASK;
      long next = (refilled & ~AVAILABLE_MASK) | Math.min(capacity, available + n);
      if (state.compareAndSet(current, next)) {
        return;
      }
    }
  }

  /** The tokens available now. */
  long available(long nowMillis) {
    return refilled(state.get(), nowMillis) & AVAILABLE_MASK;
  }

  /** Milliseconds until the next refill. */
  long millisUntilRefill(long nowMillis) {
    long intervals = intervalsAt(nowMillis, state.get() >>> AVAILABLE_BITS);
    return Math.max(1, origin + (intervals + 1) * intervalMillis - nowMillis);
  }

  /** Whether the bucket is full now: forgetting it changes nothing, as a new one starts full. */
  boolean isFull(long nowMillis) {
    return available(nowMillis) >= capacity;
  }

  private long refilled(long current, long nowMillis) {
    long seen = current >>> AVAILABLE_BITS;
    long intervals = intervalsAt(nowMillis, seen);
    if (intervals == seen) {
      return current;
    }
    long available = current & AVAILABLE_MASK;
    long added = (intervals - seen) >= capacity ? capacity : Math.min(capacity, (intervals - seen) * refill);
    return pack(intervals, Math.min(capacity, available + added));
  }

  private long intervalsAt(long nowMillis, long seen) {
    long elapsed = nowMillis - origin;
    long intervals = elapsed <= 0 ? 0 : Math.min(MAX_INTERVALS, elapsed / intervalMillis);
    return Math.max(seen, intervals);
  }

  private static long pack(long intervals, long available) {
    return (intervals << AVAILABLE_BITS) | available;
  }
}
