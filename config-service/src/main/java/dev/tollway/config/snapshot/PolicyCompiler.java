package dev.tollway.config.snapshot;

import dev.tollway.config.model.InvalidSpecException;
import dev.tollway.config.model.Resources;
import dev.tollway.config.policy.ApiKeyEntries;
import dev.tollway.config.policy.PolicyMerge;
import dev.tollway.config.policy.PolicyMerge.Applicable;
import dev.tollway.config.policy.PolicyMerge.Effective;
import dev.tollway.config.policy.PolicyMerge.Level;
import dev.tollway.config.policy.TrafficPolicy;
import dev.tollway.config.policy.TrafficPolicy.ApiKeyAuthSpec;
import dev.tollway.config.policy.TrafficPolicy.Target;
import dev.tollway.config.policy.TrafficPolicy.TargetKind;
import dev.tollway.config.policy.TrafficPolicyReader;
import dev.tollway.config.status.Condition;
import dev.tollway.config.status.Condition.Types;
import dev.tollway.config.status.Reasons;
import dev.tollway.config.status.ResourceStatus;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.snapshot.ApiKeySet;
import dev.tollway.schemas.snapshot.ApiKeySet.ClientApiKey;
import dev.tollway.schemas.snapshot.RoutePolicy.ApiKeyAuth.Mode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Reads every {@code AgentgatewayPolicy}, resolves its targets (Gateways and their listeners, HTTPRoutes and
 * their rules, in the policy's namespace) and its API key Secrets, and answers, for one route rule on one
 * listener, the policy in force ({@link PolicyMerge}). A policy that cannot be honoured in full is refused
 * with a condition and has no effect — except that a refused policy that asks for API keys still requires
 * them, with no key accepted: an operator who wrote an authentication policy must never find the routes open
 * because of a typo.
 *
 * <p>Conditions: {@code Accepted} (with {@code Invalid}, {@code Unsupported} or {@code TargetNotFound} when
 * refused) and {@code ResolvedRefs} ({@code TargetNotFound}, {@code SecretNotFound}, {@code InvalidSecret}
 * when a target or a Secret is missing or a Secret entry is not a key; the rest still applies).
 */
final class PolicyCompiler {

  private final Index index;
  private final SnapshotCipher cipher;
  private final List<Compiled> compiled = new ArrayList<>();
  private final Map<String, List<Attachment>> byTarget = new HashMap<>();
  private final Map<String, KeySet> keySets = new TreeMap<>();
  private final Map<String, Set<String>> applied = new HashMap<>();

  PolicyCompiler(Index index, SnapshotCipher cipher) {
    this.index = index;
    this.cipher = cipher;
    for (GenericKubernetesResource resource : index.state().agentgatewayPolicies()) {
      Compiled policy = read(resource);
      compiled.add(policy);
      if (policy.policy == null) {
        continue;
      }
      for (Resolved target : policy.targets) {
        byTarget.computeIfAbsent(target.key, k -> new ArrayList<>())
            .add(new Attachment(policy, target.level));
      }
    }
  }

  /** The policy in force on one rule of a route on one listener of a Gateway. */
  Effective forRule(String gatewayKey, String listener, String routeKey, int ruleIndex, @Nullable String ruleName) {
    List<Attachment> attachments = new ArrayList<>();
    attachments.addAll(byTarget.getOrDefault(gatewayTarget(gatewayKey), List.of()));
    attachments.addAll(byTarget.getOrDefault(listenerTarget(gatewayKey, listener), List.of()));
    attachments.addAll(byTarget.getOrDefault(routeTarget(routeKey), List.of()));
    if (ruleName != null) {
      attachments.addAll(byTarget.getOrDefault(ruleTarget(routeKey, ruleName), List.of()));
    }
    if (attachments.isEmpty()) {
      return Effective.none();
    }
    String where = gatewayKey + " " + routeKey + "#" + ruleIndex;
    attachments.forEach(a -> applied.computeIfAbsent(a.compiled.key, k -> new TreeSet<>()).add(where));
    return PolicyMerge.merge(attachments.stream()
        .map(a -> new Applicable(Objects.requireNonNull(a.compiled.policy), a.level)).toList());
  }

  /** The API keys of a policy's {@code apiKeyAuthentication}, for the snapshot. */
  ApiKeySet keySet(String policyKey) {
    KeySet set = keySets.get(policyKey);
    return set == null ? new ApiKeySet(List.of()) : set.set;
  }

  /** The conditions of every policy; call after every snapshot is built. */
  List<ResourceStatus> statuses() {
    List<ResourceStatus> statuses = new ArrayList<>();
    for (Compiled policy : compiled) {
      @Nullable Long generation = Resources.generation(policy.resource);
      int rules = applied.getOrDefault(policy.key, Set.of()).size();
      List<Condition> conditions = new ArrayList<>();
      if (policy.refusal != null) {
        String consequence = rules == 0 || policy.policy == null ? "; it has no effect"
            : "; it asks for API keys, so the " + rules + " route rule(s) it targets refuse every request (401) "
                + "until it is fixed";
        conditions.add(Condition.fails(Types.ACCEPTED, policy.refusalReason, policy.refusal + consequence,
            generation));
      } else if (policy.targets.isEmpty()) {
        conditions.add(Condition.fails(Types.ACCEPTED, Reasons.TARGET_NOT_FOUND,
            String.join("; ", policy.targetProblems), generation));
      } else {
        conditions.add(Condition.holds(Types.ACCEPTED, Reasons.ACCEPTED,
            "applies to " + rules + " route rule(s) of Gateways handled by Tollway", generation));
        conditions.add(resolvedRefs(policy, generation));
      }
      statuses.add(ResourceStatus.of(SnapshotCompiler.ref(policy.resource), generation, conditions));
    }
    return statuses;
  }

  private Condition resolvedRefs(Compiled policy, @Nullable Long generation) {
    List<String> problems = new ArrayList<>();
    String reason = null;
    if (!policy.targetProblems.isEmpty()) {
      problems.addAll(policy.targetProblems);
      reason = Reasons.TARGET_NOT_FOUND;
    }
    KeySet keys = keySets.get(policy.key);
    if (keys != null && !keys.problems.isEmpty()) {
      problems.addAll(keys.problems);
      reason = reason != null ? reason : keys.reason;
    }
    if (reason != null) {
      return Condition.fails(Types.RESOLVED_REFS, reason, String.join("; ", problems), generation);
    }
    String message = keys == null ? "all references resolved"
        : keys.set.keys().size() + " API key(s) from " + keys.sources;
    return Condition.holds(Types.RESOLVED_REFS, Reasons.RESOLVED_REFS, message, generation);
  }

  private Compiled read(GenericKubernetesResource resource) {
    String key = Resources.key(resource);
    TrafficPolicy policy;
    try {
      policy = TrafficPolicyReader.read(resource);
    } catch (InvalidSpecException e) {
      return refused(resource, key, e.unsupported() ? Reasons.UNSUPPORTED : Reasons.INVALID, e.getMessage());
    } catch (RuntimeException e) {
      return refused(resource, key, Reasons.INVALID, "could not be compiled: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
    Compiled compiled = new Compiled(resource, key, policy, null, Reasons.ACCEPTED);
    resolve(compiled, policy.namespace(), policy.targets());
    if (policy.apiKeyAuth() != null) {
      keySets.put(key, keys(policy.namespace(), policy.apiKeyAuth()));
    }
    return compiled;
  }

  /**
   * A refused policy has no effect, unless it asks for API keys: then it stays attached as a policy that
   * requires a key and accepts none.
   */
  private Compiled refused(GenericKubernetesResource resource, String key, String reason, String message) {
    TrafficPolicy lockedDown = null;
    List<Target> targets = List.of();
    if (asksForApiKeys(resource)) {
      try {
        targets = TrafficPolicyReader.targets(resource);
        lockedDown = new TrafficPolicy(key, Resources.created(resource).orElse(null), targets,
            new ApiKeyAuthSpec(Mode.Strict, null, new TreeMap<>()), null, null, null);
      } catch (RuntimeException e) {
        // The targets themselves are unreadable: there is nothing to attach to.
      }
    }
    Compiled compiled = new Compiled(resource, key, lockedDown, message, reason);
    if (lockedDown != null) {
      resolve(compiled, Resources.namespace(resource), targets);
      keySets.put(key, new KeySet(new ApiKeySet(List.of()), List.of(), null, "no Secret (the policy is refused)"));
    }
    return compiled;
  }

  private static boolean asksForApiKeys(GenericKubernetesResource resource) {
    return resource.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
        && spec.get("traffic") instanceof Map<?, ?> traffic
        && traffic.get("apiKeyAuthentication") != null;
  }

  private void resolve(Compiled policy, String namespace, List<Target> targets) {
    for (Target target : targets) {
      List<Resolved> found = target.kind() == TargetKind.Gateway
          ? gateways(namespace, target)
          : httpRoutes(namespace, target);
      if (found.isEmpty()) {
        policy.targetProblems.add(target.path() + ": " + target.describe() + " not found in namespace " + namespace);
      }
      for (Resolved r : found) {
        if (policy.targets.stream().noneMatch(t -> t.key.equals(r.key))) {
          policy.targets.add(r);
        }
      }
    }
  }

  private List<Resolved> gateways(String namespace, Target target) {
    List<Gateway> candidates = target.name() != null
        ? index.gateway(namespace, target.name()).map(List::of).orElse(List.of())
        : index.gatewaysIn(namespace).stream().filter(g -> labelsMatch(g, target.matchLabels())).toList();
    List<Resolved> resolved = new ArrayList<>();
    for (Gateway gateway : candidates) {
      String gatewayKey = Resources.key(gateway);
      if (target.sectionName() == null) {
        resolved.add(new Resolved(gatewayTarget(gatewayKey), Level.Gateway));
        continue;
      }
      boolean hasListener = gateway.getSpec() != null && gateway.getSpec().getListeners() != null
          && gateway.getSpec().getListeners().stream().anyMatch(l -> target.sectionName().equals(l.getName()));
      if (hasListener) {
        resolved.add(new Resolved(listenerTarget(gatewayKey, target.sectionName()), Level.Listener));
      }
    }
    return resolved;
  }

  private List<Resolved> httpRoutes(String namespace, Target target) {
    List<HTTPRoute> candidates = target.name() != null
        ? index.httpRoute(namespace, target.name()).map(List::of).orElse(List.of())
        : index.httpRoutesIn(namespace).stream().filter(r -> labelsMatch(r, target.matchLabels())).toList();
    List<Resolved> resolved = new ArrayList<>();
    for (HTTPRoute route : candidates) {
      String routeKey = Resources.key(route);
      if (target.sectionName() == null) {
        resolved.add(new Resolved(routeTarget(routeKey), Level.Route));
        continue;
      }
      List<HTTPRouteRule> rules = route.getSpec() == null || route.getSpec().getRules() == null
          ? List.of() : route.getSpec().getRules();
      if (rules.stream().anyMatch(r -> target.sectionName().equals(r.getName()))) {
        resolved.add(new Resolved(ruleTarget(routeKey, target.sectionName()), Level.Rule));
      }
    }
    return resolved;
  }

  private KeySet keys(String namespace, ApiKeyAuthSpec spec) {
    List<Secret> secrets;
    List<String> problems = new ArrayList<>();
    String reason = null;
    String sources;
    if (spec.secretName() != null) {
      Optional<Secret> secret = index.secret(namespace, spec.secretName());
      secrets = secret.map(List::of).orElse(List.of());
      sources = "Secret " + namespace + "/" + spec.secretName();
      if (secret.isEmpty()) {
        problems.add("Secret " + namespace + "/" + spec.secretName() + " not found: no key is accepted");
        reason = Reasons.SECRET_NOT_FOUND;
      }
    } else {
      secrets = index.secretsIn(namespace).stream().filter(s -> labelsMatch(s, spec.secretLabels())).toList();
      sources = secrets.size() + " Secret(s) with labels " + spec.secretLabels();
      if (secrets.isEmpty()) {
        problems.add("no Secret in namespace " + namespace + " has the labels " + spec.secretLabels()
            + ": no key is accepted");
        reason = Reasons.SECRET_NOT_FOUND;
      }
    }
    Map<String, ClientApiKey> byDigest = new LinkedHashMap<>();
    for (Secret secret : secrets) {
      ApiKeyEntries.Result result = ApiKeyEntries.read(secret, cipher);
      if (!result.problems().isEmpty()) {
        problems.addAll(result.problems());
        reason = reason != null ? reason : Reasons.INVALID_SECRET;
      }
      for (ClientApiKey key : result.keys()) {
        ClientApiKey first = byDigest.putIfAbsent(key.digest(), key);
        if (first != null) {
          problems.add(key.id() + " holds the same key as " + first.id() + "; only " + first.id() + " is used");
          reason = reason != null ? reason : Reasons.INVALID_SECRET;
        }
      }
    }
    SortedMap<String, ClientApiKey> byId = new TreeMap<>();
    byDigest.values().forEach(k -> byId.put(k.id(), k));
    return new KeySet(new ApiKeySet(List.copyOf(byId.values())), problems, reason, sources);
  }

  private static boolean labelsMatch(HasMetadata resource, Map<String, String> required) {
    Map<String, String> labels = resource.getMetadata() == null || resource.getMetadata().getLabels() == null
        ? Map.of() : resource.getMetadata().getLabels();
    return required.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  private static String gatewayTarget(String gatewayKey) {
    return "Gateway " + gatewayKey;
  }

  private static String listenerTarget(String gatewayKey, String listener) {
    return "Gateway " + gatewayKey + " listener " + listener;
  }

  private static String routeTarget(String routeKey) {
    return "HTTPRoute " + routeKey;
  }

  private static String ruleTarget(String routeKey, String ruleName) {
    return "HTTPRoute " + routeKey + " rule " + ruleName;
  }

  /**
   * A policy as read: accepted ({@code refusal} null), or refused ({@code refusal} set; {@code policy} is then
   * the lock-down of a refused API key policy, or null).
   */
  private static final class Compiled {
    final GenericKubernetesResource resource;
    final String key;
    final @Nullable TrafficPolicy policy;
    final @Nullable String refusal;
    final String refusalReason;
    final List<Resolved> targets = new ArrayList<>();
    final List<String> targetProblems = new ArrayList<>();

    Compiled(GenericKubernetesResource resource, String key, @Nullable TrafficPolicy policy,
        @Nullable String refusal, String refusalReason) {
      this.resource = resource;
      this.key = key;
      this.policy = policy;
      this.refusal = refusal;
      this.refusalReason = refusalReason;
    }
  }

  /** A target that exists: its lookup key and the level a policy attached to it has. */
  private record Resolved(String key, Level level) {}

  /** A policy attached to a target. */
  private record Attachment(Compiled compiled, Level level) {}

  /** A policy's API keys, with what went wrong reading them. */
  private record KeySet(ApiKeySet set, List<String> problems, @Nullable String reason, String sources) {}
}
