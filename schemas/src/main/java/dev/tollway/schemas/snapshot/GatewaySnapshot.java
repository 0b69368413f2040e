package dev.tollway.schemas.snapshot;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything the proxies of one Gateway need: its listeners, its routes in Gateway API precedence order and
 * the backends they point to. Keyed on the topic by {@link #gateway()} ({@code "<namespace>/<name>"}).
 *
 * <p>A snapshot is deterministic: the same Kubernetes resources always compile to the same bytes, so
 * republishing it is idempotent.
 *
 * @param schemaVersion version of this payload's schema ({@value #SCHEMA_VERSION})
 * @param gateway {@code "<namespace>/<name>"} of the Gateway
 * @param gatewayClass the Gateway's class name
 * @param listeners the Gateway's listeners, in declaration order
 * @param routes every route rule match attached to this Gateway, most specific first; the proxy takes the
 *     first one that matches a request
 * @param apiKeySets client API keys of the {@code apiKeyAuthentication} policies the routes use, by
 *     {@code "<namespace>/<policy>"}
 * @param backends the backends the routes refer to, by {@link BackendRef#backend()}: {@code "<namespace>/<name>"}
 *     for an AgentgatewayBackend, {@code "<namespace>/<name>:<port>"} for a Service
 */
public record GatewaySnapshot(
    int schemaVersion,
    String gateway,
    String gatewayClass,
    List<Listener> listeners,
    List<RouteEntry> routes,
    SortedMap<String, ApiKeySet> apiKeySets,
    SortedMap<String, Backend> backends) {

  public static final int SCHEMA_VERSION = 1;

  public GatewaySnapshot {
    requireNonNull(gateway, "gateway");
    requireNonNull(gatewayClass, "gatewayClass");
    listeners = List.copyOf(listeners);
    routes = List.copyOf(routes);
    apiKeySets = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(apiKeySets));
    backends = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(backends));
  }

  /** A snapshot without client API keys. */
  public GatewaySnapshot(
      int schemaVersion,
      String gateway,
      String gatewayClass,
      List<Listener> listeners,
      List<RouteEntry> routes,
      SortedMap<String, Backend> backends) {
    this(schemaVersion, gateway, gatewayClass, listeners, routes, new TreeMap<>(), backends);
  }

  public static GatewaySnapshot of(
      String gateway,
      String gatewayClass,
      List<Listener> listeners,
      List<RouteEntry> routes,
      Map<String, Backend> backends) {
    return new GatewaySnapshot(
        SCHEMA_VERSION, gateway, gatewayClass, listeners, routes, new TreeMap<>(), new TreeMap<>(backends));
  }

  public static GatewaySnapshot of(
      String gateway,
      String gatewayClass,
      List<Listener> listeners,
      List<RouteEntry> routes,
      Map<String, ApiKeySet> apiKeySets,
      Map<String, Backend> backends) {
    return new GatewaySnapshot(
        SCHEMA_VERSION, gateway, gatewayClass, listeners, routes, new TreeMap<>(apiKeySets), new TreeMap<>(backends));
  }

  public Optional<Backend> backend(String name) {
    return Optional.ofNullable(backends.get(name));
  }
}
