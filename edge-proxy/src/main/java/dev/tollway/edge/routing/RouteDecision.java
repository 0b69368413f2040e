package dev.tollway.edge.routing;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.snapshot.RouteFilter.HeaderModifier;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The route a request matched, with its filters applied.
 *
 * @param route the matched route
 * @param listener the name of the listener the request came in on
 * @param path the path to send upstream, after {@code URLRewrite}
 * @param query the raw query string, empty when absent
 * @param hostRewrite the {@code Host} to send upstream, when a {@code URLRewrite} sets one
 * @param headerModifiers {@code RequestHeaderModifier} filters, in order
 */
public record RouteDecision(
    CompiledRoute route,
    String listener,
    String path,
    String query,
    @Nullable String hostRewrite,
    List<HeaderModifier> headerModifiers) {

  public RouteDecision {
    requireNonNull(route, "route");
    requireNonNull(listener, "listener");
    requireNonNull(path, "path");
    requireNonNull(query, "query");
    headerModifiers = List.copyOf(headerModifiers);
  }

  /** The same decision with another raw query string (a client credential taken out of it). */
  public RouteDecision withQuery(String newQuery) {
    return new RouteDecision(route, listener, path, newQuery, hostRewrite, headerModifiers);
  }

  /** The path and query string to send upstream. */
  public String pathAndQuery() {
    return query.isEmpty() ? path : path + "?" + query;
  }
}
