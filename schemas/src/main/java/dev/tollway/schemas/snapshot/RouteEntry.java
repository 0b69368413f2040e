package dev.tollway.schemas.snapshot;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One match of one rule of an HTTPRoute, as attached to this Gateway. Rules with several matches become
 * several entries; a rule without matches gets the Gateway API default match ({@code PathPrefix /}).
 *
 * @param route {@code "<namespace>/<name>"} of the HTTPRoute
 * @param rule index of the rule within the route
 * @param listeners names of the listeners this route is attached to
 * @param hostnames the hostnames the entry serves, already intersected with the listeners'; empty means any
 * @param match what a request must look like
 * @param filters filters applied in order before the request goes to a backend
 * @param backends weighted backends of the rule
 * @param timeouts the rule's timeouts, if any
 * @param policy the traffic policy in effect (API keys, rate limits, retries)
 */
public record RouteEntry(
    String route,
    int rule,
    List<String> listeners,
    List<String> hostnames,
    RouteMatch match,
    List<RouteFilter> filters,
    List<BackendRef> backends,
    @Nullable RouteTimeouts timeouts,
    RoutePolicy policy) {

  public RouteEntry {
    requireNonNull(route, "route");
    requireNonNull(match, "match");
    listeners = List.copyOf(listeners);
    hostnames = List.copyOf(hostnames);
    filters = List.copyOf(filters);
    backends = List.copyOf(backends);
    requireNonNull(policy, "policy");
  }

  /** An entry without a traffic policy. */
  public RouteEntry(
      String route,
      int rule,
      List<String> listeners,
      List<String> hostnames,
      RouteMatch match,
      List<RouteFilter> filters,
      List<BackendRef> backends,
      @Nullable RouteTimeouts timeouts) {
    this(route, rule, listeners, hostnames, match, filters, backends, timeouts, RoutePolicy.none());
  }

  /** A human-readable identifier, such as {@code default/llm-route#0}. */
  public String id() {
    return route + "#" + rule;
  }
}
