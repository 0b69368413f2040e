package dev.tollway.config.policy;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.model.InvalidSpecException;
import dev.tollway.config.model.Resources;
import dev.tollway.config.model.SpecReader;
import dev.tollway.config.policy.TrafficPolicy.ApiKeyAuthSpec;
import dev.tollway.config.policy.TrafficPolicy.Target;
import dev.tollway.config.policy.TrafficPolicy.TargetKind;
import dev.tollway.config.snapshot.GatewayDurations;
import dev.tollway.schemas.snapshot.RoutePolicy.ApiKeyAuth.Mode;
import dev.tollway.schemas.snapshot.RoutePolicy.RateLimit;
import dev.tollway.schemas.snapshot.RoutePolicy.Retry;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads an {@code AgentgatewayPolicy} ({@code agentgateway.dev/v1alpha1}) into a {@link TrafficPolicy},
 * checking every field against agentgateway's CRD and refusing — with the field's path — what Tollway cannot
 * honour: {@code frontend}, {@code backend}, traffic settings other than API keys, local rate limits, retries
 * and the request timeout, and targets other than Gateways (and their listeners) and HTTPRoutes (and their
 * rules).
 */
public final class TrafficPolicyReader {

  /** Gateway API retries: at most this many (agentgateway keeps the count in a byte). */
  static final int MAX_RETRIES = 255;

  private static final Set<String> SPEC = Set.of("targetRefs", "targetSelectors", "traffic");
  private static final Set<String> TRAFFIC = Set.of("phase", "apiKeyAuthentication", "rateLimit", "retry", "timeouts");
  private static final List<String> TARGET_KINDS_OF_AGENTGATEWAY =
      List.of("Gateway", "HTTPRoute", "GRPCRoute", "ListenerSet", "Service", "AgentgatewayBackend");
  private static final long MIN_REQUEST_TIMEOUT_MILLIS = 100;

  private TrafficPolicyReader() {}

  /**
   * Reads the policy.
   *
   * @throws InvalidSpecException naming the first field that is invalid or not supported
   */
  public static TrafficPolicy read(GenericKubernetesResource policy) {
    requireNonNull(policy, "policy");
    String key = Resources.key(policy);
    SpecReader spec = SpecReader.spec(policy);
    for (String field : List.of("frontend", "backend")) {
      if (spec.has(field)) {
        throw InvalidSpecException.unsupported(spec.path(field),
            "not supported by Tollway yet (expected: traffic)");
      }
    }
    spec.requireOnly(SPEC);
    List<Target> targets = targets(spec);
    SpecReader traffic = spec.object("traffic").orElseThrow(() -> InvalidSpecException.invalid(
        "spec", "at least one of traffic, frontend, or backend must be provided"));
    traffic.requireOnly(TRAFFIC);
    traffic.string("phase").ifPresent(phase -> {
      if (!phase.equals("PreRouting") && !phase.equals("PostRouting")) {
        throw InvalidSpecException.invalid(traffic.path("phase"),
            "\"" + phase + "\" (expected: PreRouting or PostRouting)");
      }
      if (phase.equals("PreRouting")) {
        for (String field : List.of("rateLimit", "retry", "timeouts")) {
          if (traffic.has(field)) {
            throw InvalidSpecException.invalid(traffic.path(field),
                "not allowed with phase PreRouting (expected: apiKeyAuthentication only)");
          }
        }
        if (targets.stream().anyMatch(t -> t.kind() != TargetKind.Gateway)) {
          throw InvalidSpecException.invalid(traffic.path("phase"),
              "PreRouting can only target a Gateway (expected: targets of kind Gateway)");
        }
      }
    });
    ApiKeyAuthSpec apiKeyAuth = traffic.object("apiKeyAuthentication").map(TrafficPolicyReader::apiKeyAuth)
        .orElse(null);
    List<RateLimit> rateLimits = traffic.object("rateLimit").map(r -> rateLimits(r, key)).orElse(null);
    Retry retry = traffic.object("retry").map(TrafficPolicyReader::retry).orElse(null);
    Long timeout = traffic.object("timeouts").map(TrafficPolicyReader::requestTimeout).orElse(null);
    if (apiKeyAuth == null && rateLimits == null && retry == null && timeout == null) {
      throw InvalidSpecException.invalid(traffic.path(),
          "no setting (expected: apiKeyAuthentication, rateLimit, retry or timeouts)");
    }
    return new TrafficPolicy(
        key, Resources.created(policy).orElse(null), targets, apiKeyAuth, rateLimits, retry, timeout);
  }

  /**
   * Only the targets of a policy, for a policy whose other settings are refused: its targets must refuse
   * traffic rather than serve it without the policy.
   *
   * @throws InvalidSpecException when the targets themselves cannot be read
   */
  public static List<Target> targets(GenericKubernetesResource policy) {
    return targets(SpecReader.spec(requireNonNull(policy, "policy")));
  }

  private static List<Target> targets(SpecReader spec) {
    boolean refs = spec.has("targetRefs");
    boolean selectors = spec.has("targetSelectors");
    if (refs == selectors) {
      throw InvalidSpecException.invalid(spec.path(), "exactly one of targetRefs or targetSelectors must be set");
    }
    String field = refs ? "targetRefs" : "targetSelectors";
    List<SpecReader> items = spec.objects(field);
    if (items.isEmpty() || items.size() > 16) {
      throw InvalidSpecException.invalid(spec.path(field), items.size() + " entries (expected: 1 to 16)");
    }
    List<Target> targets = new ArrayList<>();
    for (SpecReader item : items) {
      item.requireOnly(refs ? Set.of("group", "kind", "name", "sectionName")
          : Set.of("group", "kind", "matchLabels", "sectionName"));
      String group = item.string("group").orElseThrow(() -> InvalidSpecException.invalid(item.path("group"),
          "missing (expected: gateway.networking.k8s.io)"));
      String kind = item.requireString("kind");
      if (!TARGET_KINDS_OF_AGENTGATEWAY.contains(kind)) {
        throw InvalidSpecException.invalid(item.path("kind"),
            "\"" + kind + "\" (expected: one of " + String.join(", ", TARGET_KINDS_OF_AGENTGATEWAY) + ")");
      }
      if (kind.equals("Service") || kind.equals("AgentgatewayBackend")) {
        throw InvalidSpecException.invalid(item.path("kind"),
            kind + ": the traffic field can only target a Gateway, ListenerSet, GRPCRoute, or HTTPRoute");
      }
      if (!kind.equals("Gateway") && !kind.equals("HTTPRoute")) {
        throw InvalidSpecException.unsupported(item.path("kind"),
            kind + " targets are not supported by Tollway yet (expected: Gateway or HTTPRoute)");
      }
      if (!group.equals(Resources.GATEWAY_GROUP)) {
        throw InvalidSpecException.invalid(item.path("group"),
            "\"" + group + "\" (expected: " + Resources.GATEWAY_GROUP + " for " + kind + ")");
      }
      String name = refs ? item.requireString("name") : null;
      SortedMap<String, String> labels = refs ? new TreeMap<>() : item.stringMap("matchLabels");
      if (!refs && !item.has("matchLabels")) {
        throw InvalidSpecException.invalid(item.path("matchLabels"), "missing");
      }
      targets.add(new Target(TargetKind.valueOf(kind), name, labels, item.string("sectionName").orElse(null),
          item.path()));
    }
    if (targets.stream().map(Target::kind).distinct().count() > 1) {
      throw InvalidSpecException.invalid(spec.path(field), "only one kind of target can be set on one policy");
    }
    return targets;
  }

  private static ApiKeyAuthSpec apiKeyAuth(SpecReader auth) {
    auth.requireOnly(Set.of("mode", "secretRef", "secretSelector"));
    String modeName = auth.string("mode").orElse("Strict");
    Mode mode;
    try {
      mode = Mode.valueOf(modeName);
    } catch (IllegalArgumentException e) {
      throw InvalidSpecException.invalid(auth.path("mode"), "\"" + modeName + "\" (expected: Strict or Optional)");
    }
    String which = auth.exactlyOneOf(List.of("secretRef", "secretSelector"));
    if (which.equals("secretRef")) {
      SpecReader ref = auth.requireObject("secretRef");
      ref.requireOnly(Set.of("name"));
      return new ApiKeyAuthSpec(mode, ref.requireString("name"), new TreeMap<>());
    }
    SpecReader selector = auth.requireObject("secretSelector");
    selector.requireOnly(Set.of("matchLabels"));
    SortedMap<String, String> labels = selector.stringMap("matchLabels");
    if (labels.isEmpty()) {
      throw InvalidSpecException.invalid(selector.path("matchLabels"),
          "empty (expected: at least one label; an empty selector would make every Secret of the namespace "
              + "a set of API keys)");
    }
    return new ApiKeyAuthSpec(mode, null, labels);
  }

  private static List<RateLimit> rateLimits(SpecReader rateLimit, String policyKey) {
    if (rateLimit.has("global")) {
      throw InvalidSpecException.unsupported(rateLimit.path("global"),
          "global rate limits are not supported by Tollway yet (expected: local; budgets cover limits across "
              + "replicas)");
    }
    rateLimit.requireOnly(Set.of("local"));
    List<SpecReader> items = rateLimit.objects("local");
    if (items.isEmpty() || items.size() > 16) {
      throw InvalidSpecException.invalid(rateLimit.path("local"), items.size() + " entries (expected: 1 to 16)");
    }
    List<RateLimit> limits = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      SpecReader item = items.get(i);
      item.requireOnly(Set.of("requests", "tokens", "unit", "burst"));
      String kind = item.exactlyOneOf(List.of("requests", "tokens"));
      int limit = item.integer(kind, 1, Integer.MAX_VALUE).orElseThrow();
      String unitName = item.string("unit").orElseThrow(() -> InvalidSpecException.invalid(item.path("unit"),
          "missing (expected: Seconds, Minutes or Hours)"));
      RateLimit.Unit unit;
      try {
        unit = RateLimit.Unit.valueOf(unitName);
      } catch (IllegalArgumentException e) {
        throw InvalidSpecException.invalid(item.path("unit"),
            "\"" + unitName + "\" (expected: Seconds, Minutes or Hours)");
      }
      int burst = item.integer("burst", 0, Integer.MAX_VALUE).orElse(0);
      limits.add(new RateLimit(policyKey + "#" + i, RateLimit.Kind.valueOf(kind), limit, unit, burst));
    }
    return limits;
  }

  /**
   * Gateway API's {@code attempts} counts retries; the snapshot's counts attempts, the first included. An
   * absent count means one retry.
   */
  private static Retry retry(SpecReader retry) {
    retry.requireOnly(Set.of("codes", "attempts", "backoff"));
    List<Integer> codes = retry.integers("codes", 400, 599).stream().distinct().sorted().toList();
    int retries = retry.integer("attempts", 0, MAX_RETRIES).orElse(1);
    Long backoff = retry.string("backoff").map(value -> duration(value, retry.path("backoff"))).orElse(null);
    return new Retry(codes, retries + 1, backoff);
  }

  private static @Nullable Long requestTimeout(SpecReader timeouts) {
    timeouts.requireOnly(Set.of("request"));
    return timeouts.string("request").map(value -> {
      long millis = duration(value, timeouts.path("request"));
      if (millis < MIN_REQUEST_TIMEOUT_MILLIS) {
        throw InvalidSpecException.invalid(timeouts.path("request"),
            "\"" + value + "\" (expected: at least 100ms)");
      }
      return millis;
    }).orElse(null);
  }

  private static long duration(String value, String path) {
    try {
      return GatewayDurations.toMillis(value);
    } catch (IllegalArgumentException e) {
      throw InvalidSpecException.invalid(path, e.getMessage());
    }
  }
}
