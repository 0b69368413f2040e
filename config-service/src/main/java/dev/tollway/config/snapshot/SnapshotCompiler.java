package dev.tollway.config.snapshot;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.model.ClusterState;
import dev.tollway.config.model.Resources;
import dev.tollway.config.snapshot.CompiledGateway.ListenerResult;
import dev.tollway.config.snapshot.RoutePrecedence.Candidate;
import dev.tollway.config.status.Condition;
import dev.tollway.config.status.Condition.Types;
import dev.tollway.config.status.ListenerStatus;
import dev.tollway.config.status.ObjectRef;
import dev.tollway.config.status.Reasons;
import dev.tollway.config.status.ResourceStatus;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.config.policy.PolicyMerge.Effective;
import dev.tollway.schemas.snapshot.ApiKeySet;
import dev.tollway.schemas.snapshot.Backend;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.Listener;
import dev.tollway.schemas.snapshot.RouteEntry;
import dev.tollway.schemas.snapshot.RouteTimeouts;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles a {@link ClusterState} into one {@link GatewaySnapshot} per Gateway of an owned class, plus the
 * conditions of every resource involved. A pure function: it reads no clock, files or network, and the same
 * state always gives equal results (and therefore identical snapshot bytes, sealing being deterministic). A
 * resource that cannot be compiled gets its own condition; it never breaks the others.
 *
 * <p>A Gateway is owned when its class is a {@code GatewayClass} whose {@code controllerName} is this
 * controller's, or, when no {@code GatewayClass} of that name exists (folder mode), when the class name is
 * one of the configured names.
 */
public final class SnapshotCompiler {

  /** The {@code controllerName} of Tollway's {@code GatewayClass}es. */
  public static final String DEFAULT_CONTROLLER_NAME = "tollway.dev/gateway-controller";

  /** The class names owned when no {@code GatewayClass} resource says otherwise. */
  public static final Set<String> DEFAULT_GATEWAY_CLASSES = Set.of("agentgateway", "tollway");

  private static final Logger log = LoggerFactory.getLogger(SnapshotCompiler.class);

  private final SnapshotCipher cipher;
  private final Set<String> gatewayClasses;
  private final String controllerName;

  /**
   * @param cipher seals provider keys and TLS private keys, per Gateway
   * @param gatewayClasses class names owned when no {@code GatewayClass} of that name exists
   * @param controllerName the {@code controllerName} of owned {@code GatewayClass}es
   */
  public SnapshotCompiler(SnapshotCipher cipher, Set<String> gatewayClasses, String controllerName) {
    this.cipher = requireNonNull(cipher, "cipher");
    this.gatewayClasses = Set.copyOf(gatewayClasses);
    this.controllerName = requireNonNull(controllerName, "controllerName");
  }

  /** A compiler with the default class names and controller name. */
  public SnapshotCompiler(SnapshotCipher cipher) {
    this(cipher, DEFAULT_GATEWAY_CLASSES, DEFAULT_CONTROLLER_NAME);
  }

  public CompileResult compile(ClusterState state) {
    requireNonNull(state, "state");
    Index index = new Index(state);
    List<ResourceStatus> statuses = new ArrayList<>();

    for (GatewayClass gatewayClass : state.gatewayClasses()) {
      if (ownsClass(gatewayClass)) {
        statuses.add(ResourceStatus.of(ref(gatewayClass), Resources.generation(gatewayClass), List.of(
            Condition.holds(Types.ACCEPTED, Reasons.ACCEPTED, "handled by " + controllerName,
                Resources.generation(gatewayClass)))));
      }
    }

    Map<String, BackendVerdict> backends = new TreeMap<>();
    BackendCompiler backendCompiler = new BackendCompiler(index);
    for (GenericKubernetesResource backend : state.agentgatewayBackends()) {
      BackendVerdict verdict;
      try {
        verdict = backendCompiler.compile(backend);
      } catch (RuntimeException e) {
        verdict = new BackendVerdict.Refused(Reasons.INVALID, unexpected(backend, e));
      }
      backends.put(Resources.key(backend), verdict);
      statuses.add(backendStatus(backend, verdict));
    }

    Map<String, CompiledGateway> owned = new TreeMap<>();
    Set<String> existing = new TreeSet<>();
    GatewayCompiler gatewayCompiler = new GatewayCompiler(index, cipher);
    for (Gateway gateway : state.gateways()) {
      existing.add(Resources.key(gateway));
      String className = gateway.getSpec() == null ? null : gateway.getSpec().getGatewayClassName();
      if (className == null || !owns(className, index)) {
        continue;
      }
      try {
        owned.put(Resources.key(gateway), gatewayCompiler.compile(gateway, className));
      } catch (RuntimeException e) {
        statuses.add(invalid(gateway, e));
      }
    }

    Map<String, List<Attached>> attachedByGateway = new HashMap<>();
    RouteCompiler routeCompiler = new RouteCompiler(index, backends);
    Attachments attachments = new Attachments(index, owned, existing, controllerName);
    for (HTTPRoute route : state.httpRoutes()) {
      try {
        CompiledRoute compiled = routeCompiler.compile(route);
        Attachments.Result result = attachments.attach(compiled);
        if (!result.parents().isEmpty()) {
          statuses.add(new ResourceStatus(ref(route), Resources.generation(route), List.of(), List.of(),
              result.parents()));
        }
        result.listeners().forEach((gatewayKey, listeners) -> attachedByGateway
            .computeIfAbsent(gatewayKey, k -> new ArrayList<>())
            .add(new Attached(compiled, listeners)));
      } catch (RuntimeException e) {
        statuses.add(invalid(route, e));
      }
    }

    Map<String, GatewaySnapshot> snapshots = new TreeMap<>();
    PolicyCompiler policies = new PolicyCompiler(index, cipher);
    for (CompiledGateway gateway : owned.values()) {
      try {
        List<Attached> attached = attachedByGateway.getOrDefault(gateway.key(), List.of());
        snapshots.put(gateway.key(), snapshot(gateway, attached, policies));
        statuses.add(gatewayStatus(gateway, attached));
      } catch (RuntimeException e) {
        statuses.add(invalid(gateway.gateway(), e));
      }
    }
    statuses.addAll(policies.statuses());

    statuses.sort(Comparator.comparing(ResourceStatus::resource));
    return new CompileResult(new TreeMap<>(snapshots), statuses);
  }

  private GatewaySnapshot snapshot(CompiledGateway gateway, List<Attached> attached, PolicyCompiler policies) {
    List<Candidate> candidates = new ArrayList<>();
    Map<String, BackendDraft> drafts = new TreeMap<>();
    Map<String, ApiKeySet> keySets = new TreeMap<>();
    for (Attached a : attached) {
      for (CompiledRoute.Rule rule : a.route().rules()) {
        // Listeners are grouped by hostname and by the policy in force on them: one entry per group.
        Map<EntryGroup, List<String>> groups = new LinkedHashMap<>();
        for (ListenerResult listener : gateway.valid()) {
          List<String> hosts = a.listeners().get(listener.name());
          if (hosts == null) {
            continue;
          }
          Effective policy =
              policies.forRule(gateway.key(), listener.name(), a.route().key(), rule.index(), rule.name());
          for (String host : hosts.isEmpty() ? List.of("") : hosts) {
            groups.computeIfAbsent(new EntryGroup(host, policy), g -> new ArrayList<>()).add(listener.name());
          }
        }
        for (int m = 0; m < rule.matches().size(); m++) {
          for (Map.Entry<EntryGroup, List<String>> group : groups.entrySet()) {
            Effective policy = group.getKey().policy();
            String host = group.getKey().host();
            RouteEntry entry = new RouteEntry(a.route().key(), rule.index(), group.getValue(),
                host.isEmpty() ? List.of() : List.of(host), rule.matches().get(m), rule.filters(),
                rule.backends(), timeouts(rule.timeouts(), policy.requestTimeoutMillis()), policy.policy());
            candidates.add(new Candidate(entry, host, a.route().created(), m));
            String keySet = policy.keySetPolicy();
            if (keySet != null) {
              keySets.put(keySet, policies.keySet(keySet));
            }
          }
        }
        if (!rule.matches().isEmpty()) {
          rule.drafts().forEach(d -> drafts.put(d.key(), d));
        }
      }
    }
    candidates.sort(RoutePrecedence.ORDER);
    Map<String, Backend> sealed = new TreeMap<>();
    drafts.forEach((key, draft) -> sealed.put(key, draft.seal(gateway.key(), cipher)));
    List<Listener> listeners = gateway.valid().stream().map(l -> Objects.requireNonNull(l.snapshot())).toList();
    return GatewaySnapshot.of(gateway.key(), gateway.className(), listeners,
        candidates.stream().map(Candidate::entry).toList(), keySets, sealed);
  }

  /** The rule's own timeouts, with a policy's request timeout where the rule sets none. */
  private static @Nullable RouteTimeouts timeouts(@Nullable RouteTimeouts rule, @Nullable Long policyRequest) {
    if (policyRequest == null || (rule != null && rule.requestMillis() != null)) {
      return rule;
    }
    return new RouteTimeouts(policyRequest, rule == null ? null : rule.backendRequestMillis());
  }

  private static ResourceStatus gatewayStatus(CompiledGateway gateway, List<Attached> attached) {
    @Nullable Long generation = Resources.generation(gateway.gateway());
    Map<String, Integer> routesPerListener = new HashMap<>();
    attached.forEach(a -> a.listeners().keySet().forEach(l -> routesPerListener.merge(l, 1, Integer::sum)));
    List<ListenerStatus> listeners = gateway.listeners().stream()
        .map(l -> new ListenerStatus(l.name(), l.supportedKinds(), routesPerListener.getOrDefault(l.name(), 0),
            l.conditions()))
        .toList();
    int served = gateway.valid().size();
    String summary = served + " of " + gateway.listeners().size() + " listeners served";
    List<Condition> conditions = served > 0
        ? List.of(Condition.holds(Types.ACCEPTED, Reasons.ACCEPTED, summary, generation),
            Condition.holds(Types.PROGRAMMED, Reasons.PROGRAMMED, "compiled into a snapshot; " + summary, generation))
        : List.of(Condition.fails(Types.ACCEPTED, Reasons.LISTENERS_NOT_VALID, summary, generation),
            Condition.fails(Types.PROGRAMMED, Reasons.INVALID, "no listener can be served", generation));
    return new ResourceStatus(ref(gateway.gateway()), generation, conditions, listeners, List.of());
  }

  private static ResourceStatus backendStatus(GenericKubernetesResource backend, BackendVerdict verdict) {
    @Nullable Long generation = Resources.generation(backend);
    Condition accepted = verdict instanceof BackendVerdict.Refused refused
        ? Condition.fails(Types.ACCEPTED, refused.reason(), refused.message(), generation)
        : Condition.holds(Types.ACCEPTED, Reasons.ACCEPTED, "backend accepted", generation);
    return ResourceStatus.of(ref(backend), generation, List.of(accepted));
  }

  private boolean owns(String className, Index index) {
    return index.gatewayClass(className).map(this::ownsClass).orElse(gatewayClasses.contains(className));
  }

  private boolean ownsClass(GatewayClass gatewayClass) {
    return gatewayClass.getSpec() != null && controllerName.equals(gatewayClass.getSpec().getControllerName());
  }

  private static ResourceStatus invalid(HasMetadata resource, RuntimeException e) {
    @Nullable Long generation = Resources.generation(resource);
    return ResourceStatus.of(ref(resource), generation,
        List.of(Condition.fails(Types.ACCEPTED, Reasons.INVALID, unexpected(resource, e), generation)));
  }

  private static String unexpected(HasMetadata resource, RuntimeException e) {
    log.debug("{} could not be compiled", Resources.describe(resource), e);
    return "could not be compiled: " + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  static ObjectRef ref(HasMetadata resource) {
    String group = Resources.group(resource.getApiVersion());
    String kind = Objects.toString(resource.getKind(), resource.getClass().getSimpleName());
    boolean clusterScoped = kind.equals("GatewayClass") || kind.equals("Namespace");
    return new ObjectRef(group, kind, clusterScoped ? null : Resources.namespace(resource), Resources.name(resource));
  }

  /** Listeners of one rule that share a hostname and the policy in force. */
  private record EntryGroup(String host, Effective policy) {}

  /** A route attached to some listeners of one Gateway, with the hostnames it serves on each. */
  private record Attached(CompiledRoute route, Map<String, List<String>> listeners) {}
}
