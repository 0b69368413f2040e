package dev.tollway.config.snapshot;

import dev.tollway.config.model.Resources;
import dev.tollway.config.snapshot.RuleCompiler.InvalidRule;
import dev.tollway.config.status.Condition;
import dev.tollway.config.status.Condition.Types;
import dev.tollway.config.status.Reasons;
import dev.tollway.schemas.snapshot.Backend.HostBackend;
import dev.tollway.schemas.snapshot.BackendRef;
import dev.tollway.schemas.snapshot.RouteFilter;
import dev.tollway.schemas.snapshot.RouteMatch;
import dev.tollway.schemas.snapshot.RouteTimeouts;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Compiles an HTTPRoute's rules and resolves their {@code backendRefs}: {@code AgentgatewayBackend}
 * ({@code agentgateway.dev}) and core {@code Service} with a port. A reference that cannot be resolved
 * becomes an unresolved {@link BackendRef} with the reason; the other rules are unaffected.
 */
final class RouteCompiler {

  private static final int MAX_WEIGHT = 1_000_000;

  private final Index index;
  private final Map<String, BackendVerdict> backends;

  RouteCompiler(Index index, Map<String, BackendVerdict> backends) {
    this.index = index;
    this.backends = backends;
  }

  CompiledRoute compile(HTTPRoute route) {
    String key = Resources.key(route);
    String namespace = Resources.namespace(route);
    @Nullable Long generation = Resources.generation(route);
    List<String> hostnames = route.getSpec() == null || route.getSpec().getHostnames() == null
        ? List.of()
        : route.getSpec().getHostnames().stream().map(Hostnames::normalize).distinct().toList();
    List<HTTPRouteRule> specs = route.getSpec() == null || route.getSpec().getRules() == null
            || route.getSpec().getRules().isEmpty()
        ? List.of(new HTTPRouteRule())
        : route.getSpec().getRules();
    List<CompiledRoute.Rule> rules = new ArrayList<>();
    List<RefProblem> refProblems = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      rules.add(rule(specs.get(i), i, namespace, refProblems));
    }
    Condition resolvedRefs = refProblems.isEmpty()
        ? Condition.holds(Types.RESOLVED_REFS, Reasons.RESOLVED_REFS, "all references resolved", generation)
        : Condition.fails(
            Types.RESOLVED_REFS,
            refProblems.get(0).reason(),
            String.join("; ", refProblems.stream().map(RefProblem::message).toList()),
            generation);
    return new CompiledRoute(
        route, key, Resources.created(route).orElse(null), hostnames, rules, resolvedRefs);
  }

  private CompiledRoute.Rule rule(HTTPRouteRule spec, int index, String namespace, List<RefProblem> refProblems) {
    String path = "spec.rules[" + index + "]";
    List<RouteMatch> matches;
    try {
      matches = RuleCompiler.matches(spec.getMatches(), path);
    } catch (InvalidRule e) {
      return new CompiledRoute.Rule(index, spec.getName(), List.of(), List.of(), List.of(), List.of(), null,
          e.getMessage() + "; the rule is dropped");
    }
    List<RouteFilter> filters = List.of();
    @Nullable RouteTimeouts timeouts = null;
    @Nullable String problem = null;
    try {
      filters = RuleCompiler.filters(spec.getFilters(), matches, path);
      timeouts = RuleCompiler.timeouts(spec.getTimeouts(), path);
    } catch (InvalidRule e) {
      problem = e.getMessage();
    }
    List<HTTPBackendRef> refs = spec.getBackendRefs() == null ? List.of() : spec.getBackendRefs();
    for (int i = 0; i < refs.size() && problem == null; i++) {
      if (refs.get(i).getFilters() != null && !refs.get(i).getFilters().isEmpty()) {
        problem = path + ".backendRefs[" + i + "].filters: per-backend filters are not supported by Tollway";
      }
    }
    List<BackendRef> backendRefs = new ArrayList<>();
    List<BackendDraft> drafts = new ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      Resolution resolution = resolve(refs.get(i), namespace, path + ".backendRefs[" + i + "]");
      if (resolution.problem != null) {
        refProblems.add(resolution.problem);
      }
      if (problem == null && resolution.draft != null) {
        backendRefs.add(BackendRef.resolved(resolution.draft.key(), resolution.weight));
        drafts.add(resolution.draft);
      } else {
        String reason = problem != null
            ? "rule " + index + " is not served: " + problem
            : Objects.requireNonNull(resolution.problem).message();
        backendRefs.add(BackendRef.unresolved(resolution.refKey, resolution.weight, reason));
      }
    }
    return new CompiledRoute.Rule(index, spec.getName(), matches, filters, backendRefs, drafts, timeouts, problem);
  }

  private Resolution resolve(HTTPBackendRef ref, String routeNamespace, String path) {
    String group = ref.getGroup() == null ? "" : ref.getGroup();
    String kind = ref.getKind() == null ? "Service" : ref.getKind();
    String namespace = ref.getNamespace() == null || ref.getNamespace().isBlank() ? routeNamespace : ref.getNamespace();
    String name = Objects.toString(ref.getName(), "");
    int weight = ref.getWeight() == null ? 1 : ref.getWeight();
    boolean isBackend = group.equals(Resources.AGENTGATEWAY_GROUP) && kind.equals("AgentgatewayBackend");
    boolean isService = group.isEmpty() && kind.equals("Service");
    String refKey = namespace + "/" + name + (isService && ref.getPort() != null ? ":" + ref.getPort() : "");
    if (weight < 0 || weight > MAX_WEIGHT) {
      return Resolution.failed(refKey, Math.max(0, Math.min(weight, MAX_WEIGHT)), Reasons.UNSUPPORTED_VALUE,
          path + ".weight: " + weight + " (expected: 0 to " + MAX_WEIGHT + ")");
    }
    if (!isBackend && !isService) {
      return Resolution.failed(refKey, weight, Reasons.INVALID_KIND, path + ": kind "
          + (group.isEmpty() ? "" : group + "/") + kind
          + " is not supported (expected: agentgateway.dev/AgentgatewayBackend or Service)");
    }
    if (!namespace.equals(routeNamespace)
        && !ReferenceGrants.permits(index.grantsIn(namespace), Resources.GATEWAY_GROUP, "HTTPRoute", routeNamespace,
            group, kind, name)) {
      return Resolution.failed(refKey, weight, Reasons.REF_NOT_PERMITTED, kind + " " + namespace + "/" + name
          + " is in another namespace and no ReferenceGrant in " + namespace + " allows HTTPRoutes from "
          + routeNamespace + " to refer to it");
    }
    return isBackend ? agentgatewayBackend(refKey, weight) : service(ref, namespace, name, refKey, weight, path);
  }

  private Resolution agentgatewayBackend(String key, int weight) {
    BackendVerdict verdict = backends.get(key);
    if (verdict == null) {
      return Resolution.failed(key, weight, Reasons.BACKEND_NOT_FOUND, "AgentgatewayBackend " + key + " not found");
    }
    if (verdict instanceof BackendVerdict.Refused refused) {
      return Resolution.failed(key, weight, Reasons.BACKEND_NOT_FOUND,
          "AgentgatewayBackend " + key + " is not accepted: " + refused.message());
    }
    return new Resolution(key, weight, ((BackendVerdict.Usable) verdict).draft(), null);
  }

  private Resolution service(HTTPBackendRef ref, String namespace, String name, String key, int weight, String path) {
    if (ref.getPort() == null) {
      return Resolution.failed(
          key, weight, Reasons.UNSUPPORTED_VALUE, path + ".port: missing (required for a Service)");
    }
    Optional<Service> service = index.service(namespace, name);
    if (service.isEmpty()) {
      return Resolution.failed(
          key, weight, Reasons.BACKEND_NOT_FOUND, "Service " + namespace + "/" + name + " not found");
    }
    List<ServicePort> ports = service.get().getSpec() == null || service.get().getSpec().getPorts() == null
        ? List.of()
        : service.get().getSpec().getPorts();
    if (!ports.isEmpty() && ports.stream().noneMatch(p -> ref.getPort().equals(p.getPort()))) {
      return Resolution.failed(key, weight, Reasons.BACKEND_NOT_FOUND,
          "Service " + namespace + "/" + name + " has no port " + ref.getPort());
    }
    HostBackend host = new HostBackend(name + "." + namespace + ".svc.cluster.local", ref.getPort(), false);
    return new Resolution(key, weight, new BackendDraft.Host(key, namespace + "/" + name, host), null);
  }

  /** A reference that could not be resolved, for the route's {@code ResolvedRefs} condition. */
  private record RefProblem(String reason, String message) {}

  private record Resolution(String refKey, int weight, @Nullable BackendDraft draft, @Nullable RefProblem problem) {
    static Resolution failed(String refKey, int weight, String reason, String message) {
      return new Resolution(refKey, weight, null, new RefProblem(reason, message));
    }
  }
}
