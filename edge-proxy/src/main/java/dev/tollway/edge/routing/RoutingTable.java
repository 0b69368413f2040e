package dev.tollway.edge.routing;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.auth.ClientKeys;
import dev.tollway.schemas.snapshot.BackendRef;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.Listener;
import dev.tollway.schemas.snapshot.RouteEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The routes of every served Gateway, compiled. Immutable: a new snapshot makes a new table, and a request
 * keeps the table it started with.
 */
public final class RoutingTable {

  private static final RoutingTable EMPTY = new RoutingTable(List.of());

  private final List<GatewayRoutes> gateways;

  private RoutingTable(List<GatewayRoutes> gateways) {
    this.gateways = List.copyOf(gateways);
  }

  /** The table of no Gateway: nothing matches, no listener is bound. */
  public static RoutingTable empty() {
    return EMPTY;
  }

  /**
   * Compiles snapshots into a table. An entry that does not compile (a bad regular expression) is left out
   * and reported to {@code problems}; the other entries still serve.
   */
  public static RoutingTable compile(
      Collection<GatewaySnapshot> snapshots, BackendResolver resolver, Consumer<String> problems) {
    requireNonNull(snapshots, "snapshots");
    requireNonNull(resolver, "resolver");
    requireNonNull(problems, "problems");
    List<GatewaySnapshot> ordered = new ArrayList<>(snapshots);
    ordered.sort(Comparator.comparing(GatewaySnapshot::gateway));
    List<GatewayRoutes> gateways = new ArrayList<>();
    for (GatewaySnapshot snapshot : ordered) {
      Map<String, ResolvedBackend> resolved = new HashMap<>();
      ClientKeys keys = ClientKeys.of(snapshot);
      List<CompiledRoute> routes = new ArrayList<>();
      for (RouteEntry entry : snapshot.routes()) {
        List<WeightedBackend> backends = new ArrayList<>();
        for (BackendRef ref : entry.backends()) {
          ResolvedBackend backend =
              ref.unresolved() != null
                  ? new ResolvedBackend.Unavailable(ref.backend(), ref.unresolved())
                  : resolved.computeIfAbsent(ref.backend(), name -> resolver.resolve(snapshot, ref));
          backends.add(new WeightedBackend(backend, Math.max(0, ref.weight())));
        }
        try {
          routes.add(CompiledRoute.compile(
              snapshot.gateway(), entry, backends, keys.forRoute(entry.policy().apiKeyAuth())));
        } catch (RuntimeException e) {
          problems.accept(snapshot.gateway() + " route " + entry.id() + " left out: " + e.getMessage());
        }
      }
      gateways.add(new GatewayRoutes(snapshot.gateway(), snapshot.listeners(), routes));
    }
    return new RoutingTable(gateways);
  }

  /** Every compiled route of every Gateway. */
  public List<CompiledRoute> routes() {
    return gateways.stream().flatMap(g -> g.routes().stream()).toList();
  }

  /**
   * Whether a route of the table matches on this header (case-insensitive): the proxy reads the body before
   * routing only when a route matches on the model it exposes.
   */
  public boolean matchesOnHeader(String name) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    for (GatewayRoutes gateway : gateways) {
      for (CompiledRoute route : gateway.routes()) {
        if (route.matchesOnHeader(lower)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether the table holds at least one Gateway. */
  public boolean hasGateways() {
    return !gateways.isEmpty();
  }

  /** The keys of the Gateways in the table. */
  public List<String> gatewayKeys() {
    return gateways.stream().map(GatewayRoutes::gateway).toList();
  }

  /** The distinct declared ports of every listener of every Gateway (only HTTP listeners are bound for now). */
  public SortedSet<Integer> declaredPorts() {
    SortedSet<Integer> ports = new TreeSet<>();
    for (GatewayRoutes gateway : gateways) {
      for (Listener listener : gateway.listeners()) {
        if ("HTTP".equalsIgnoreCase(listener.protocol())) {
          ports.add(listener.port());
        }
      }
    }
    return ports;
  }

  /** Every HTTPS listener of every Gateway, with the Gateway whose key sealed its private key. */
  public List<GatewayListener> httpsListeners() {
    List<GatewayListener> out = new ArrayList<>();
    for (GatewayRoutes gateway : gateways) {
      for (Listener listener : gateway.listeners()) {
        if ("HTTPS".equalsIgnoreCase(listener.protocol())) {
          out.add(new GatewayListener(gateway.gateway(), listener));
        }
      }
    }
    return out;
  }

  /** A listener of a Gateway. */
  public record GatewayListener(String gateway, Listener listener) {
    public GatewayListener {
      requireNonNull(gateway, "gateway");
      requireNonNull(listener, "listener");
    }
  }

  /** The health keys of every provider of every AI backend in the table. */
  public java.util.Set<String> providerKeys() {
    java.util.Set<String> keys = new java.util.HashSet<>();
    for (GatewayRoutes gateway : gateways) {
      for (CompiledRoute route : gateway.routes()) {
        for (WeightedBackend weighted : route.backends()) {
          if (weighted.backend() instanceof ResolvedBackend.Ai ai) {
            for (int g = 0; g < ai.groups().size(); g++) {
              for (ResolvedBackend.ResolvedProvider provider : ai.groups().get(g)) {
                keys.add(dev.tollway.edge.health.HealthRegistry.key(ai.name(), g, provider.provider().name()));
              }
            }
          }
        }
      }
    }
    return keys;
  }

  /** The first route that matches, with its filters applied; Gateways are tried in key order. */
  public Optional<RouteDecision> match(RequestView request) {
    for (GatewayRoutes gateway : gateways) {
      List<String> listenerNames = gateway.listenersFor(request);
      if (listenerNames.isEmpty()) {
        continue;
      }
      for (CompiledRoute route : gateway.routes()) {
        if (route.attachedTo(listenerNames) && route.matches(request)) {
          String listener = firstAttached(route, listenerNames);
          return Optional.of(route.decide(request, listener));
        }
      }
    }
    return Optional.empty();
  }

  /** The Gateway key a request on this port and host belongs to, for requests that match no route. */
  public Optional<GatewayRoutes.ListenerRef> listenerFor(RequestView request) {
    for (GatewayRoutes gateway : gateways) {
      List<String> names = gateway.listenersFor(request);
      if (!names.isEmpty()) {
        return Optional.of(new GatewayRoutes.ListenerRef(gateway.gateway(), names.get(0)));
      }
    }
    return Optional.empty();
  }

  private static String firstAttached(CompiledRoute route, List<String> listenerNames) {
    for (String name : listenerNames) {
      if (route.attachedTo(List.of(name))) {
        return name;
      }
    }
    return listenerNames.get(0);
  }

  /**
   * The listeners and compiled routes of one Gateway.
   *
   * @param routes in the snapshot's precedence order
   */
  public record GatewayRoutes(String gateway, List<Listener> listeners, List<CompiledRoute> routes) {
    public GatewayRoutes {
      requireNonNull(gateway, "gateway");
      listeners = List.copyOf(listeners);
      routes = List.copyOf(routes);
    }

    /** Names of the listeners on the request's declared port that accept its host, in declaration order. */
    List<String> listenersFor(RequestView request) {
      List<String> names = new ArrayList<>(1);
      for (Listener listener : listeners) {
        if (listener.port() == request.declaredPort()
            && Hostnames.listenerAccepts(listener.hostname(), request.host())) {
          names.add(listener.name());
        }
      }
      return names;
    }

    /** A Gateway and one of its listeners. */
    public record ListenerRef(String gateway, String listener) {}
  }
}
