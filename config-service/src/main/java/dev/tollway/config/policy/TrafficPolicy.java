package dev.tollway.config.policy;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.snapshot.RoutePolicy.ApiKeyAuth.Mode;
import dev.tollway.schemas.snapshot.RoutePolicy.RateLimit;
import dev.tollway.schemas.snapshot.RoutePolicy.Retry;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The part of one {@code AgentgatewayPolicy} that Tollway honours, as read from its spec. A field that is
 * absent is {@code null} (or, for rate limits, {@code null} too): a less specific policy's value then applies.
 *
 * @param key {@code <namespace>/<name>} of the policy
 * @param created its {@code creationTimestamp}, if known: among policies attached at the same level the oldest
 *     wins
 * @param targets what it attaches to (all in the policy's namespace)
 * @param apiKeyAuth {@code spec.traffic.apiKeyAuthentication}
 * @param rateLimits {@code spec.traffic.rateLimit.local}, named after this policy
 * @param retry {@code spec.traffic.retry}
 * @param requestTimeoutMillis {@code spec.traffic.timeouts.request}
 */
public record TrafficPolicy(
    String key,
    @Nullable Instant created,
    List<Target> targets,
    @Nullable ApiKeyAuthSpec apiKeyAuth,
    @Nullable List<RateLimit> rateLimits,
    @Nullable Retry retry,
    @Nullable Long requestTimeoutMillis) {

  public TrafficPolicy {
    requireNonNull(key, "key");
    targets = List.copyOf(targets);
    rateLimits = rateLimits == null ? null : List.copyOf(rateLimits);
  }

  /** The policy's namespace. */
  public String namespace() {
    return key.substring(0, key.indexOf('/'));
  }

  /** The kinds of resource a traffic policy can attach to in Tollway. */
  public enum TargetKind {
    Gateway,
    HTTPRoute
  }

  /**
   * One {@code targetRefs[]} or {@code targetSelectors[]} entry.
   *
   * @param kind what it selects
   * @param name the resource's name ({@code targetRefs}), or null for a selector
   * @param matchLabels the labels a resource must carry ({@code targetSelectors}); empty for a reference
   * @param sectionName a listener name (Gateway) or a rule name (HTTPRoute), if given
   * @param path where the entry is in the spec, for messages ({@code spec.targetRefs[0]})
   */
  public record Target(
      TargetKind kind,
      @Nullable String name,
      SortedMap<String, String> matchLabels,
      @Nullable String sectionName,
      String path) {

    public Target {
      requireNonNull(kind, "kind");
      matchLabels = Collections.unmodifiableSortedMap(new TreeMap<>(matchLabels));
      requireNonNull(path, "path");
    }

    /** For messages: {@code HTTPRoute llm-route}, {@code Gateway agentgateway (listener http)}. */
    public String describe() {
      String what = name != null ? kind + " " + name : kind + " with labels " + matchLabels;
      if (sectionName == null) {
        return what;
      }
      return what + (kind == TargetKind.Gateway ? " (listener " : " (rule ") + sectionName + ")";
    }
  }

  /**
   * {@code spec.traffic.apiKeyAuthentication}: where the keys are and whether one is required.
   *
   * @param mode {@code Strict} (default) or {@code Optional}
   * @param secretName {@code secretRef.name}, or null when a selector is used
   * @param secretLabels {@code secretSelector.matchLabels}; empty when a Secret is named
   */
  public record ApiKeyAuthSpec(Mode mode, @Nullable String secretName, SortedMap<String, String> secretLabels) {
    public ApiKeyAuthSpec {
      requireNonNull(mode, "mode");
      secretLabels = Collections.unmodifiableSortedMap(new TreeMap<>(secretLabels));
    }
  }
}
