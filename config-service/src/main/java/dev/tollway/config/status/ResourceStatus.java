package dev.tollway.config.status;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the compiler concluded about one resource, in the shape of its Kubernetes status: top-level
 * conditions (GatewayClass, Gateway, AgentgatewayBackend, AgentgatewayPolicy), per-listener status (Gateway)
 * and per-parent status (HTTPRoute).
 *
 * @param resource the resource
 * @param generation the resource's {@code metadata.generation}, if known
 * @param conditions top-level conditions
 * @param listeners per-listener status, for a Gateway
 * @param parents per-parent status, for a route
 */
public record ResourceStatus(
    ObjectRef resource,
    @Nullable Long generation,
    List<Condition> conditions,
    List<ListenerStatus> listeners,
    List<ParentStatus> parents) {

  public ResourceStatus {
    requireNonNull(resource, "resource");
    conditions = List.copyOf(conditions);
    listeners = List.copyOf(listeners);
    parents = List.copyOf(parents);
  }

  public static ResourceStatus of(ObjectRef resource, @Nullable Long generation, List<Condition> conditions) {
    return new ResourceStatus(resource, generation, conditions, List.of(), List.of());
  }

  /** The top-level condition of the given type, if reported. */
  public Optional<Condition> condition(String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
  }

  /** The status for the given parent, if reported. */
  public Optional<ParentStatus> parent(String parentKey) {
    return parents.stream().filter(p -> p.parentRef().key().equals(parentKey)).findFirst();
  }

  /**
   * Every condition that reports a problem, each with where it sits: {@code ""} for a top-level condition,
   * {@code "listener http"} or {@code "parent Gateway default/agentgateway"}.
   */
  public List<Problem> problems() {
    List<Problem> problems = new ArrayList<>();
    for (Condition c : conditions) {
      if (c.isProblem()) {
        problems.add(new Problem(resource, "", c));
      }
    }
    for (ListenerStatus l : listeners) {
      for (Condition c : l.conditions()) {
        if (c.isProblem()) {
          problems.add(new Problem(resource, "listener " + l.name(), c));
        }
      }
    }
    for (ParentStatus p : parents) {
      for (Condition c : p.conditions()) {
        if (c.isProblem()) {
          problems.add(new Problem(resource, "parent " + p.parentRef(), c));
        }
      }
    }
    return problems;
  }

  /**
   * A condition that reports a problem.
   *
   * @param resource the resource
   * @param scope where the condition sits: empty, {@code listener <name>} or {@code parent <ref>}
   * @param condition the condition
   */
  public record Problem(ObjectRef resource, String scope, Condition condition) {
    public Problem {
      requireNonNull(resource, "resource");
      requireNonNull(scope, "scope");
      requireNonNull(condition, "condition");
    }
  }
}
