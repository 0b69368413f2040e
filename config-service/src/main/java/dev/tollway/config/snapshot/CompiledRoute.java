package dev.tollway.config.snapshot;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.status.Condition;
import dev.tollway.schemas.snapshot.BackendRef;
import dev.tollway.schemas.snapshot.RouteFilter;
import dev.tollway.schemas.snapshot.RouteMatch;
import dev.tollway.schemas.snapshot.RouteTimeouts;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An HTTPRoute with its rules compiled, independent of the Gateways it attaches to.
 *
 * @param route the resource
 * @param key {@code <namespace>/<name>}
 * @param created its creation time, if known (precedence tie-break)
 * @param hostnames its hostnames, normalized; empty means any
 * @param rules its rules in declaration order
 * @param resolvedRefs the {@code ResolvedRefs} condition, the same for every parent
 */
record CompiledRoute(
    HTTPRoute route,
    String key,
    @Nullable Instant created,
    List<String> hostnames,
    List<Rule> rules,
    Condition resolvedRefs) {

  CompiledRoute {
    requireNonNull(route, "route");
    requireNonNull(key, "key");
    hostnames = List.copyOf(hostnames);
    rules = List.copyOf(rules);
    requireNonNull(resolvedRefs, "resolvedRefs");
  }

  String namespace() {
    return key.substring(0, key.indexOf('/'));
  }

  /** The problems of the invalid rules, in rule order. */
  List<String> ruleProblems() {
    return rules.stream().filter(r -> r.problem() != null).map(Rule::problem).toList();
  }

  /**
   * One compiled rule.
   *
   * @param index the rule's position in the route
   * @param name the rule's {@code name}, if it has one (policies target rules by it)
   * @param matches its matches; empty when the rule is dropped because a match is invalid
   * @param filters its filters
   * @param backends its backend references; all unresolved when the rule is invalid, so requests to it get an
   *     error instead of falling through to a less specific route
   * @param drafts the backends the resolved references point to
   * @param timeouts its timeouts, if any
   * @param problem why the rule is invalid, if it is
   */
  record Rule(
      int index,
      @Nullable String name,
      List<RouteMatch> matches,
      List<RouteFilter> filters,
      List<BackendRef> backends,
      List<BackendDraft> drafts,
      @Nullable RouteTimeouts timeouts,
      @Nullable String problem) {

    Rule {
      matches = List.copyOf(matches);
      filters = List.copyOf(filters);
      backends = List.copyOf(backends);
      drafts = List.copyOf(drafts);
    }
  }
}
