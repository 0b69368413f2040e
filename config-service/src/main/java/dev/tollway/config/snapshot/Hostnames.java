package dev.tollway.config.snapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Gateway API hostname rules: a leading {@code *.} label is a suffix match ({@code *.example.com} matches
 * {@code a.example.com} and {@code a.b.example.com}, not {@code example.com}); a route's hostnames are
 * intersected with a listener's; more specific hostnames take precedence.
 */
final class Hostnames {

  /** Exact hostnames first, then wildcards with the longest suffix first, then "any" (the empty string). */
  static final Comparator<String> MOST_SPECIFIC_FIRST =
      Comparator.comparingInt(Hostnames::rank)
          .thenComparing(Comparator.comparingInt(String::length).reversed())
          .thenComparing(Comparator.naturalOrder());

  private Hostnames() {}

  static String normalize(String hostname) {
    return hostname.strip().toLowerCase(Locale.ROOT);
  }

  static boolean isWildcard(String hostname) {
    return hostname.startsWith("*.");
  }

  /**
   * The hostnames a route serves on a listener.
   *
   * @param listenerHostname the listener's hostname; absent means any
   * @param routeHostnames the route's hostnames; empty means any
   * @return the intersection, an empty list meaning any hostname; empty if the two do not intersect
   */
  static Optional<List<String>> intersect(@Nullable String listenerHostname, List<String> routeHostnames) {
    if (listenerHostname == null) {
      return Optional.of(List.copyOf(routeHostnames));
    }
    if (routeHostnames.isEmpty()) {
      return Optional.of(List.of(listenerHostname));
    }
    List<String> result = new ArrayList<>();
    for (String route : routeHostnames) {
      String both = intersect(listenerHostname, route);
      if (both != null && !result.contains(both)) {
        result.add(both);
      }
    }
    return result.isEmpty() ? Optional.empty() : Optional.of(result);
  }

  private static @Nullable String intersect(String listener, String route) {
    if (covers(listener, route)) {
      return route;
    }
    if (covers(route, listener)) {
      return listener;
    }
    return null;
  }

  /** Whether every host {@code inner} matches is also matched by {@code outer}. */
  private static boolean covers(String outer, String inner) {
    if (outer.equals(inner)) {
      return true;
    }
    if (!isWildcard(outer)) {
      return false;
    }
    String suffix = outer.substring(1); // ".example.com"
    String innerBase = isWildcard(inner) ? inner.substring(1) : inner;
    return innerBase.endsWith(suffix) && innerBase.length() > suffix.length();
  }

  private static int rank(String hostname) {
    if (hostname.isEmpty()) {
      return 2;
    }
    return isWildcard(hostname) ? 1 : 0;
  }
}
