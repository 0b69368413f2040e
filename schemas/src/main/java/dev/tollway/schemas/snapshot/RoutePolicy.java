package dev.tollway.schemas.snapshot;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The traffic policy in effect for one route entry, merged by config-service from the
 * {@code AgentgatewayPolicy}s attached to the Gateway, the listener, the HTTPRoute and the rule (a more specific
 * attachment overrides a less specific one, field by field).
 *
 * @param apiKeyAuth client API key authentication, if required or accepted
 * @param rateLimits local rate limits, each enforced per client API key (per client address for anonymous
 *     callers); all must admit a request
 * @param retry how failed upstream attempts are retried
 */
public record RoutePolicy(@Nullable ApiKeyAuth apiKeyAuth, List<RateLimit> rateLimits, @Nullable Retry retry) {

  private static final RoutePolicy NONE = new RoutePolicy(null, List.of(), null);

  public RoutePolicy {
    rateLimits = List.copyOf(rateLimits);
  }

  /** No policy: anonymous callers, no limits, no retries. */
  public static RoutePolicy none() {
    return NONE;
  }

  /**
   * {@code spec.traffic.apiKeyAuthentication}.
   *
   * @param mode whether a key is required
   * @param keySets the keys accepted, by their key in {@link GatewaySnapshot#apiKeySets()}
   */
  public record ApiKeyAuth(Mode mode, List<String> keySets) {
    public ApiKeyAuth {
      requireNonNull(mode, "mode");
      keySets = List.copyOf(keySets);
    }

    /** agentgateway's modes. */
    public enum Mode {
      /** A request without a valid key is refused with 401. */
      Strict,
      /** A request without a key passes anonymously; a request with an unknown key is refused with 401. */
      Optional
    }
  }

  /**
   * One {@code spec.traffic.rateLimit.local[]} entry: a token bucket of {@code limit + burst} that refills
   * {@code limit} per {@code unit}.
   *
   * @param policy {@code "<namespace>/<name>"} of the policy it comes from, with its index: buckets are named
   *     after it, so routes that share a policy share its buckets
   * @param kind what is counted
   * @param limit how many per unit
   * @param unit the refill period
   * @param burst extra capacity above {@code limit}
   */
  public record RateLimit(String policy, Kind kind, long limit, Unit unit, long burst) {
    public RateLimit {
      requireNonNull(policy, "policy");
      requireNonNull(kind, "kind");
      requireNonNull(unit, "unit");
    }

    /** What a rate limit counts. */
    public enum Kind {
      requests,
      /** Input plus output tokens, debited when the answer is complete. */
      tokens
    }

    /** Refill periods. */
    public enum Unit {
      Seconds,
      Minutes,
      Hours
    }
  }

  /**
   * {@code spec.traffic.retry} (Gateway API {@code HTTPRouteRetry}).
   *
   * @param codes upstream statuses that are retried (connection failures and timeouts always are)
   * @param attempts total attempts including the first
   * @param backoffMillis the pause between attempts, if any
   */
  public record Retry(List<Integer> codes, int attempts, @Nullable Long backoffMillis) {
    public Retry {
      codes = List.copyOf(codes);
    }
  }
}
