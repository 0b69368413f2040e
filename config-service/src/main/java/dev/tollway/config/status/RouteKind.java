package dev.tollway.config.status;

import static java.util.Objects.requireNonNull;

/**
 * A route kind a listener supports ({@code status.listeners[].supportedKinds}).
 *
 * @param group the API group
 * @param kind the kind
 */
public record RouteKind(String group, String kind) {

  /** {@code gateway.networking.k8s.io/HTTPRoute}, the only route kind Tollway serves. */
  public static final RouteKind HTTP_ROUTE = new RouteKind("gateway.networking.k8s.io", "HTTPRoute");

  public RouteKind {
    requireNonNull(group, "group");
    requireNonNull(kind, "kind");
  }
}
