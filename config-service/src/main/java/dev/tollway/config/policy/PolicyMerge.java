package dev.tollway.config.policy;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.snapshot.RoutePolicy;
import dev.tollway.schemas.snapshot.RoutePolicy.ApiKeyAuth;
import dev.tollway.schemas.snapshot.RoutePolicy.RateLimit;
import dev.tollway.schemas.snapshot.RoutePolicy.Retry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Merges the traffic policies that apply to one route rule on one listener into the policy in force, field by
 * field (agentgateway's precedence): a policy attached to the rule overrides one attached to the route, which
 * overrides one attached to the listener, which overrides one attached to the Gateway. Among policies attached
 * at the same level, the oldest ({@code creationTimestamp}) wins, then the first by {@code namespace/name};
 * a policy without a timestamp yields to every dated one.
 *
 * <p>The fields are {@code apiKeyAuthentication}, {@code rateLimit.local} (the whole list), {@code retry} and
 * {@code timeouts.request}: each is taken whole from the most specific policy that sets it.
 */
public final class PolicyMerge {

  /** Where a policy is attached, least specific first. */
  public enum Level {
    Gateway,
    Listener,
    Route,
    Rule
  }

  /**
   * A policy that applies, and at which level.
   *
   * @param policy the policy
   * @param level where it is attached
   */
  public record Applicable(TrafficPolicy policy, Level level) {
    public Applicable {
      requireNonNull(policy, "policy");
      requireNonNull(level, "level");
    }
  }

  /**
   * The merged result.
   *
   * @param policy the route policy for the snapshot
   * @param requestTimeoutMillis the merged {@code timeouts.request}, if any policy sets it
   */
  public record Effective(RoutePolicy policy, @Nullable Long requestTimeoutMillis) {
    public Effective {
      requireNonNull(policy, "policy");
    }

    /** No policy applies. */
    public static Effective none() {
      return new Effective(RoutePolicy.none(), null);
    }

    /** The key of the policy whose API keys are required or accepted, if any. */
    public @Nullable String keySetPolicy() {
      ApiKeyAuth auth = policy.apiKeyAuth();
      return auth == null || auth.keySets().isEmpty() ? null : auth.keySets().get(0);
    }
  }

  /** The order in which policies are applied: the last one applied wins each field it sets. */
  static final Comparator<Applicable> APPLICATION_ORDER =
      Comparator.comparing(Applicable::level)
          .thenComparing(a -> a.policy().created(), Comparator.nullsFirst(Comparator.<Instant>reverseOrder()))
          .thenComparing(a -> a.policy().key(), Comparator.reverseOrder());

  private PolicyMerge() {}

  public static Effective merge(List<Applicable> applicable) {
    requireNonNull(applicable, "applicable");
    if (applicable.isEmpty()) {
      return Effective.none();
    }
    List<Applicable> ordered = new ArrayList<>(applicable);
    ordered.sort(APPLICATION_ORDER);
    ApiKeyAuth apiKeyAuth = null;
    List<RateLimit> rateLimits = List.of();
    Retry retry = null;
    Long timeout = null;
    for (Applicable a : ordered) {
      TrafficPolicy p = a.policy();
      if (p.apiKeyAuth() != null) {
        apiKeyAuth = new ApiKeyAuth(p.apiKeyAuth().mode(), List.of(p.key()));
      }
      if (p.rateLimits() != null) {
        rateLimits = p.rateLimits();
      }
      if (p.retry() != null) {
        retry = p.retry();
      }
      if (p.requestTimeoutMillis() != null) {
        timeout = p.requestTimeoutMillis();
      }
    }
    return new Effective(new RoutePolicy(apiKeyAuth, rateLimits, retry), timeout);
  }
}
