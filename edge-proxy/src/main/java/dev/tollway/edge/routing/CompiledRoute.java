package dev.tollway.edge.routing;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.auth.RouteKeys;
import dev.tollway.schemas.snapshot.RouteEntry;
import dev.tollway.schemas.snapshot.RouteFilter;
import dev.tollway.schemas.snapshot.RoutePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One {@link RouteEntry} of a snapshot, compiled: regular expressions built, backends resolved. */
public final class CompiledRoute {

  private final String gateway;
  private final RouteEntry entry;
  private final Set<String> listeners;
  private final PathMatcher path;
  private final List<ValueMatcher> headers;
  private final List<ValueMatcher> queryParams;
  private final List<WeightedBackend> backends;
  private final RouteKeys keys;

  private CompiledRoute(
      String gateway,
      RouteEntry entry,
      PathMatcher path,
      List<ValueMatcher> headers,
      List<ValueMatcher> queryParams,
      List<WeightedBackend> backends,
      RouteKeys keys) {
    this.gateway = gateway;
    this.entry = entry;
    this.listeners = Set.copyOf(entry.listeners());
    this.path = path;
    this.headers = List.copyOf(headers);
    this.queryParams = List.copyOf(queryParams);
    this.backends = List.copyOf(backends);
    this.keys = keys;
  }

  /**
   * Compiles an entry.
   *
   * @param keys the client API keys the entry's policy accepts
   * @throws IllegalArgumentException when a regular expression does not compile or a filter is incomplete
   */
  public static CompiledRoute compile(
      String gateway, RouteEntry entry, List<WeightedBackend> backends, RouteKeys keys) {
    requireNonNull(gateway, "gateway");
    requireNonNull(entry, "entry");
    requireNonNull(keys, "keys");
    PathMatcher path = PathMatcher.compile(entry.match().path());
    List<ValueMatcher> headers = new ArrayList<>();
    entry.match().headers().forEach(h -> headers.add(ValueMatcher.header(h)));
    List<ValueMatcher> query = new ArrayList<>();
    entry.match().queryParams().forEach(q -> query.add(ValueMatcher.query(q)));
    for (RouteFilter filter : entry.filters()) {
      switch (filter.type()) {
        case URLRewrite -> {
          if (filter.urlRewrite() == null) {
            throw new IllegalArgumentException("URLRewrite filter without urlRewrite");
          }
          var modifier = filter.urlRewrite().path();
          if (modifier != null
              && modifier.type() == RouteFilter.PathModifier.Type.ReplacePrefixMatch
              && path.prefix() == null) {
            throw new IllegalArgumentException("ReplacePrefixMatch needs a PathPrefix match");
          }
        }
        case RequestHeaderModifier -> {
          if (filter.requestHeaderModifier() == null) {
            throw new IllegalArgumentException("RequestHeaderModifier filter without requestHeaderModifier");
          }
        }
      }
    }
    return new CompiledRoute(gateway, entry, path, headers, query, backends, keys);
  }

  public String gateway() {
    return gateway;
  }

  public RouteEntry entry() {
    return entry;
  }

  /** {@code <namespace>/<name>#<rule>}. */
  public String id() {
    return entry.id();
  }

  public List<WeightedBackend> backends() {
    return backends;
  }

  /** The client API keys this route accepts, from the snapshot it was compiled from. */
  public RouteKeys keys() {
    return keys;
  }

  /** The traffic policy of the entry: API keys, rate limits, retries. */
  public RoutePolicy policy() {
    return entry.policy();
  }

  /** Whether the route is attached to one of these listeners (a route naming none attaches to all). */
  boolean attachedTo(List<String> listenerNames) {
    if (listeners.isEmpty()) {
      return true;
    }
    for (String name : listenerNames) {
      if (listeners.contains(name)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the route matches on a header of this name (lower case). */
  boolean matchesOnHeader(String lowerCaseName) {
    for (ValueMatcher header : headers) {
      if (header.name().equals(lowerCaseName)) {
        return true;
      }
    }
    return false;
  }

  /** Whether everything but the listener matches. */
  boolean matches(RequestView request) {
    if (!Hostnames.matchesAny(entry.hostnames(), request.host())) {
      return false;
    }
    if (!path.matches(request.path())) {
      return false;
    }
    String method = entry.match().method();
    if (method != null && !method.equals(request.method())) {
      return false;
    }
    for (ValueMatcher header : headers) {
      if (!header.matches(request.headers())) {
        return false;
      }
    }
    for (ValueMatcher param : queryParams) {
      if (!param.matches(request.queryParams())) {
        return false;
      }
    }
    return true;
  }

  /** Applies the route's filters to a matched request. */
  RouteDecision decide(RequestView request, String listener) {
    String newPath = request.path();
    String hostRewrite = null;
    List<RouteFilter.HeaderModifier> modifiers = new ArrayList<>();
    for (RouteFilter filter : entry.filters()) {
      switch (filter.type()) {
        case URLRewrite -> {
          RouteFilter.UrlRewrite rewrite = requireNonNull(filter.urlRewrite());
          if (rewrite.path() != null) {
            newPath = PathRewrite.apply(rewrite.path(), newPath, path.prefix());
          }
          if (rewrite.hostname() != null) {
            hostRewrite = rewrite.hostname();
          }
        }
        case RequestHeaderModifier -> modifiers.add(requireNonNull(filter.requestHeaderModifier()));
      }
    }
    return new RouteDecision(this, listener, newPath, request.query(), hostRewrite, modifiers);
  }

  @Override
  public String toString() {
    return "CompiledRoute[" + gateway + " " + id() + "]";
  }
}
