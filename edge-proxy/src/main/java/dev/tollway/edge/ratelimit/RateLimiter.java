package dev.tollway.edge.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.snapshot.RoutePolicy.RateLimit;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The local rate limits of one proxy: a {@link TokenBucket} per limit ({@code RoutePolicy.RateLimit}, named
 * after its policy, so routes that share a policy share its buckets) and per caller — the client API key's id,
 * or the client's address for anonymous requests. Limits are per replica, as in agentgateway.
 *
 * <p>{@code requests} limits take one token on admission; {@code tokens} limits only need one token left on
 * admission and are debited with the input and output tokens of the answer once it is complete
 * ({@link #debitTokens}), so they apply to the requests that follow.
 *
 * <p>Buckets are evicted when their limit or their API key leaves the configuration ({@link #retain}) and,
 * for any caller, once they are full again ({@link #sweep}): a full bucket is the same as a new one, so
 * forgetting it changes nothing and idle callers cost no memory.
 */
public final class RateLimiter {

  private final Clock clock;
  private final Map<RateLimit, Map<String, TokenBucket>> buckets = new ConcurrentHashMap<>();

  public RateLimiter(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * Admits a request against every limit, or refuses it on the first that has nothing left (giving back what
   * the limits before it took).
   *
   * @param limits the route's limits
   * @param subject the caller: an API key id or a client address
   */
  public Admission admit(List<RateLimit> limits, String subject) {
    requireNonNull(limits, "limits");
    requireNonNull(subject, "subject");
    long now = clock.millis();
    TokenBucket tightest = null;
    RateLimit tightestLimit = null;
    long tightestRemaining = Long.MAX_VALUE;
    for (int i = 0; i < limits.size(); i++) {
      RateLimit limit = limits.get(i);
      TokenBucket bucket = bucket(limit, subject, now);
      boolean admitted = limit.kind() == RateLimit.Kind.requests ? bucket.tryTake(1, now) : bucket.available(now) >= 1;
      if (!admitted) {
        for (int j = 0; j < i; j++) {
          if (limits.get(j).kind() == RateLimit.Kind.requests) {
            bucket(limits.get(j), subject, now).giveBack(1, now);
          }
        }
        return new Admission(false, limit, bucket.capacity(), 0, Duration.ofMillis(bucket.millisUntilRefill(now)));
      }
      long remaining = bucket.available(now);
      if (remaining < tightestRemaining) {
        tightest = bucket;
        tightestLimit = limit;
        tightestRemaining = remaining;
      }
    }
    if (tightest == null) {
      return Admission.UNLIMITED;
    }
    return new Admission(true, tightestLimit, tightest.capacity(), tightestRemaining,
        Duration.ofMillis(tightest.millisUntilRefill(now)));
  }

  /** Debits the tokens an answer used from the route's {@code tokens} limits. */
  public void debitTokens(List<RateLimit> limits, String subject, long tokens) {
    if (tokens <= 0) {
      return;
    }
    long now = clock.millis();
    for (RateLimit limit : limits) {
      if (limit.kind() == RateLimit.Kind.tokens) {
        bucket(limit, subject, now).debit(tokens, now);
      }
    }
  }

  /**
   * Forgets the buckets of limits that are no longer configured, and of API keys that no longer exist (a
   * subject with a {@code /} is an API key id; client addresses never contain one).
   */
  public void retain(Set<RateLimit> liveLimits, Set<String> liveKeyIds) {
    buckets.keySet().retainAll(liveLimits);
    for (Map<String, TokenBucket> perSubject : buckets.values()) {
      perSubject.keySet().removeIf(subject -> subject.indexOf('/') >= 0 && !liveKeyIds.contains(subject));
    }
  }

  /** Forgets every bucket that is full again; returns how many were forgotten. */
  public int sweep() {
    long now = clock.millis();
    int removed = 0;
    for (Map<String, TokenBucket> perSubject : buckets.values()) {
      for (Map.Entry<String, TokenBucket> entry : perSubject.entrySet()) {
        if (entry.getValue().isFull(now) && perSubject.remove(entry.getKey(), entry.getValue())) {
          removed++;
        }
      }
    }
    return removed;
  }

  /** How many buckets are held. */
  public int size() {
    return buckets.values().stream().mapToInt(Map::size).sum();
  }

  private TokenBucket bucket(RateLimit limit, String subject, long now) {
    Map<String, TokenBucket> perSubject = buckets.get(limit);
    if (perSubject == null) {
      perSubject = buckets.computeIfAbsent(limit, l -> new ConcurrentHashMap<>());
    }
    TokenBucket bucket = perSubject.get(subject);
    if (bucket == null) {
      bucket = perSubject.computeIfAbsent(subject, s -> newBucket(limit, now));
    }
    return bucket;
  }

  private static TokenBucket newBucket(RateLimit limit, long now) {
    long interval = switch (limit.unit()) {
      case Seconds -> 1_000L;
      case Minutes -> 60_000L;
      case Hours -> 3_600_000L;
    };
    return new TokenBucket(limit.limit() + Math.max(0, limit.burst()), limit.limit(), interval, now);
  }

  /**
   * The outcome of an admission, with what the {@code x-ratelimit-*} headers say: the most constrained limit
   * (fewest tokens left) when admitted, the limit that refused otherwise.
   *
   * @param admitted whether the request may go on
   * @param limit the limit the headers describe, null when the route has none
   * @param capacity {@code x-ratelimit-limit}: the bucket's size ({@code limit + burst})
   * @param remaining {@code x-ratelimit-remaining}
   * @param reset {@code x-ratelimit-reset} (and {@code Retry-After} when refused): until the next refill
   */
  public record Admission(
      boolean admitted, @Nullable RateLimit limit, long capacity, long remaining, Duration reset) {

    static final Admission UNLIMITED = new Admission(true, null, 0, 0, Duration.ZERO);

    public Admission {
      requireNonNull(reset, "reset");
    }

    /** Seconds until the next refill, rounded up. */
    public long resetSeconds() {
      return (reset.toMillis() + 999) / 1000;
    }
  }
}
