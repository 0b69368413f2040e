package dev.tollway.config.status;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A route's status for one of its parents ({@code status.parents[]}).
 *
 * @param parentRef the parent reference as the route wrote it, defaults filled in
 * @param controllerName the controller that wrote this entry
 * @param conditions {@code Accepted}, {@code ResolvedRefs} and, when some rules are invalid,
 *     {@code PartiallyInvalid}
 */
public record ParentStatus(ParentRef parentRef, String controllerName, List<Condition> conditions) {

  public ParentStatus {
    requireNonNull(parentRef, "parentRef");
    requireNonNull(controllerName, "controllerName");
    conditions = List.copyOf(conditions);
  }
}
