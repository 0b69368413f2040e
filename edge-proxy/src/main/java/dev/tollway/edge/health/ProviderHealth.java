package dev.tollway.edge.health;

import dev.tollway.schemas.snapshot.HealthPolicy;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What the proxy knows about one provider of one backend: failures in a row, whether and until when it is
 * evicted, how often it was evicted in a row, its latency (an exponentially weighted moving average of the time
 * to the answer's first byte) and the attempts in flight. Shared by every IO thread, so every method is
 * synchronized; each is a few field updates.
 */
public final class ProviderHealth {

  /** The longest an eviction lasts, whatever the backoff or a {@code Retry-After} asks. */
  static final long MAX_EVICTION_MILLIS = Duration.ofHours(1).toMillis();

  private static final double ALPHA = 0.3;

  private int consecutiveFailures;
  private int timesEvicted;
  private long evictedUntilMillis;
  private double latencyMillis;
  private boolean latencyKnown;
  private int pending;

  /** Whether the provider is left out of selection at {@code nowMillis}. */
  public synchronized boolean isEvicted(long nowMillis) {
    return nowMillis < evictedUntilMillis;
  }

  public synchronized long evictedUntilMillis() {
    return evictedUntilMillis;
  }

  /** An attempt starts. */
  public synchronized void begin() {
    pending++;
  }

  /**
   * An attempt ended.
   *
   * @param failure whether it counts as a failure (by the backend's condition, or because it got no answer)
   * @param retryAfter the provider's {@code Retry-After} on a 429, which sets the eviction's length
   * @param latency time to the answer's first byte, when there was an answer
   * @return whether this result evicted the provider
   */
  public synchronized boolean end(
      boolean failure, @Nullable Duration retryAfter, @Nullable Duration latency, HealthPolicy policy, long nowMillis) {
    pending = Math.max(0, pending - 1);
    if (latency != null) {
      double ms = latency.toNanos() / 1_000_000.0;
      latencyMillis = latencyKnown ? ALPHA * ms + (1 - ALPHA) * latencyMillis : ms;
      latencyKnown = true;
    }
    if (!failure) {
      consecutiveFailures = 0;
      timesEvicted = 0;
      return false;
    }
    consecutiveFailures++;
    if (retryAfter != null && !retryAfter.isNegative() && !retryAfter.isZero()) {
      evict(Math.min(retryAfter.toMillis(), MAX_EVICTION_MILLIS), nowMillis);
      return true;
    }
    if (consecutiveFailures >= Math.max(1, policy.consecutiveFailures())) {
      long base = Math.max(1, policy.evictionMillis());
      long length = base > MAX_EVICTION_MILLIS / (timesEvicted + 1) ? MAX_EVICTION_MILLIS : base * (timesEvicted + 1);
      evict(length, nowMillis);
      return true;
    }
    return false;
  }

  private void evict(long millis, long nowMillis) {
    timesEvicted++;
    consecutiveFailures = 0;
    evictedUntilMillis = Math.max(evictedUntilMillis, nowMillis + millis);
  }

  /**
   * Higher is better: {@code 1 / (1 + latency × (1 + 0.1 × pending))}, as agentgateway scores its endpoints; an
   * unmeasured provider scores as if instant, so it gets tried.
   */
  public synchronized double score() {
    double latency = latencyKnown ? latencyMillis : 0;
    return 1.0 / (1.0 + latency * (1.0 + 0.1 * pending));
  }

  public synchronized int pending() {
    return pending;
  }

  public synchronized int consecutiveFailures() {
    return consecutiveFailures;
  }

  @Override
  public synchronized String toString() {
    return "ProviderHealth[failures=" + consecutiveFailures + ", timesEvicted=" + timesEvicted + ", evictedUntil="
        + evictedUntilMillis + ", latencyMs=" + (latencyKnown ? Math.round(latencyMillis) : "?") + ", pending=" + pending
        + "]";
  }
}
