package dev.tollway.config.status;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The status of one listener of a Gateway ({@code status.listeners[]}).
 *
 * @param name the listener's name
 * @param supportedKinds the route kinds that may attach
 * @param attachedRoutes how many routes are attached to the listener
 * @param conditions {@code Accepted}, {@code Programmed}, {@code ResolvedRefs}, {@code Conflicted}
 */
public record ListenerStatus(
    String name, List<RouteKind> supportedKinds, int attachedRoutes, List<Condition> conditions) {

  public ListenerStatus {
    requireNonNull(name, "name");
    supportedKinds = List.copyOf(supportedKinds);
    conditions = List.copyOf(conditions);
  }
}
