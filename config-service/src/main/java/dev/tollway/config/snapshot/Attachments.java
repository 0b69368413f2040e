package dev.tollway.config.snapshot;

import dev.tollway.config.model.Resources;
import dev.tollway.config.snapshot.CompiledGateway.ListenerResult;
import dev.tollway.config.status.Condition;
import dev.tollway.config.status.Condition.Types;
import dev.tollway.config.status.ParentRef;
import dev.tollway.config.status.ParentStatus;
import dev.tollway.config.status.Reasons;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Attaches routes to the listeners of owned Gateways through their {@code parentRefs}: {@code sectionName}
 * and {@code port} select listeners, {@code allowedRoutes} must admit the route's namespace and kind, and
 * the route's hostnames must intersect the listener's. Parents that are Gateways of other controllers get
 * no status from this one.
 */
final class Attachments {

  private static final String METADATA_NAME_LABEL = "kubernetes.io/metadata.name";

  private final Index index;
  private final Map<String, CompiledGateway> owned;
  private final Set<String> existing;
  private final String controllerName;

  /**
   * @param owned the Gateways of owned classes, by key
   * @param existing the keys of every Gateway in the state, owned or not
   */
  Attachments(Index index, Map<String, CompiledGateway> owned, Set<String> existing, String controllerName) {
    this.index = index;
    this.owned = owned;
    this.existing = existing;
    this.controllerName = controllerName;
  }

  /**
   * A route's attachments.
   *
   * @param parents status per parentRef handled by this controller
   * @param listeners per owned Gateway key, the hostnames the route serves on each attached listener (an
   *     empty list meaning any hostname)
   */
  record Result(List<ParentStatus> parents, Map<String, Map<String, List<String>>> listeners) {}

  Result attach(CompiledRoute route) {
    List<ParentStatus> parents = new ArrayList<>();
    Map<String, Map<String, List<String>>> attached = new TreeMap<>();
    @Nullable Long generation = Resources.generation(route.route());
    List<ParentReference> refs = route.route().getSpec() == null || route.route().getSpec().getParentRefs() == null
        ? List.of()
        : route.route().getSpec().getParentRefs();
    for (ParentReference ref : refs) {
      String group = ref.getGroup() == null ? Resources.GATEWAY_GROUP : ref.getGroup();
      String kind = ref.getKind() == null ? "Gateway" : ref.getKind();
      if (!group.equals(Resources.GATEWAY_GROUP) || !kind.equals("Gateway")) {
        continue;
      }
      String namespace =
          ref.getNamespace() == null || ref.getNamespace().isBlank() ? route.namespace() : ref.getNamespace();
      ParentRef parent = new ParentRef(group, kind, namespace, Objects.toString(ref.getName(), ""),
          ref.getSectionName(), ref.getPort());
      if (existing.contains(parent.key()) && !owned.containsKey(parent.key())) {
        continue;
      }
      Condition accepted;
      CompiledGateway gateway = owned.get(parent.key());
      if (gateway == null) {
        accepted = Condition.fails(Types.ACCEPTED, Reasons.NO_MATCHING_PARENT, "Gateway " + parent.key() + " not found",
            generation);
      } else {
        Outcome outcome = listeners(route, gateway, parent);
        if (outcome.listeners.isEmpty()) {
          accepted = Condition.fails(Types.ACCEPTED, outcome.reason, outcome.message, generation);
        } else {
          Map<String, List<String>> forGateway = attached.computeIfAbsent(gateway.key(), k -> new LinkedHashMap<>());
          outcome.listeners.forEach((listener, hosts) -> forGateway.merge(listener, hosts, Attachments::union));
          accepted = acceptedWhenAttached(route, generation);
        }
      }
      parents.add(new ParentStatus(parent, controllerName, conditions(route, accepted, generation)));
    }
    return new Result(parents, attached);
  }

  private static Condition acceptedWhenAttached(CompiledRoute route, @Nullable Long generation) {
    List<String> problems = route.ruleProblems();
    if (!problems.isEmpty() && problems.size() == route.rules().size()) {
      return Condition.fails(Types.ACCEPTED, Reasons.UNSUPPORTED_VALUE,
          "no rule is valid: " + String.join("; ", problems), generation);
    }
    return Condition.holds(Types.ACCEPTED, Reasons.ACCEPTED, "route attached", generation);
  }

  private static List<Condition> conditions(CompiledRoute route, Condition accepted, @Nullable Long generation) {
    List<Condition> conditions = new ArrayList<>(List.of(accepted, route.resolvedRefs()));
    List<String> problems = route.ruleProblems();
    if (!problems.isEmpty() && problems.size() < route.rules().size()) {
      conditions.add(Condition.holds(Types.PARTIALLY_INVALID, Reasons.UNSUPPORTED_VALUE,
          String.join("; ", problems), generation));
    }
    return conditions;
  }

  private Outcome listeners(CompiledRoute route, CompiledGateway gateway, ParentRef parent) {
    List<ListenerResult> candidates = new ArrayList<>();
    for (ListenerResult listener : gateway.listeners()) {
      boolean nameMatches = parent.sectionName() == null || parent.sectionName().equals(listener.name());
      boolean portMatches = parent.port() == null
          || (listener.snapshot() != null && parent.port().equals(listener.snapshot().port()));
      if (nameMatches && portMatches) {
        candidates.add(listener);
      }
    }
    if (candidates.isEmpty()) {
      String what = parent.sectionName() != null ? "no listener named " + parent.sectionName()
          : "no listener";
      return Outcome.refused(Reasons.NO_MATCHING_PARENT, "Gateway " + gateway.key() + " has " + what
          + (parent.port() != null ? " on port " + parent.port() : ""));
    }
    List<ListenerResult> served = candidates.stream().filter(l -> l.snapshot() != null).toList();
    if (served.isEmpty()) {
      return Outcome.refused(Reasons.NO_MATCHING_PARENT, "Gateway " + gateway.key() + ": listener "
          + candidates.get(0).name() + " is not served (see the Gateway's listener conditions)");
    }
    List<String> refusals = new ArrayList<>();
    List<ListenerResult> allowed = new ArrayList<>();
    for (ListenerResult listener : served) {
      Optional<String> refusal = admits(listener, route.namespace(), gateway.namespace());
      if (refusal.isEmpty()) {
        allowed.add(listener);
      } else {
        refusals.add("listener " + listener.name() + ": " + refusal.get());
      }
    }
    if (allowed.isEmpty()) {
      return Outcome.refused(Reasons.NOT_ALLOWED_BY_LISTENERS, String.join("; ", refusals));
    }
    Map<String, List<String>> result = new LinkedHashMap<>();
    for (ListenerResult listener : allowed) {
      Hostnames.intersect(Objects.requireNonNull(listener.snapshot()).hostname(), route.hostnames())
          .ifPresent(hosts -> result.put(listener.name(), hosts));
    }
    if (result.isEmpty()) {
      return Outcome.refused(Reasons.NO_MATCHING_LISTENER_HOSTNAME, "the route's hostnames "
          + route.hostnames() + " match no listener hostname of Gateway " + gateway.key());
    }
    return new Outcome(result, "", "");
  }

  /** Why the listener does not admit routes from {@code routeNamespace}, if it does not. */
  private Optional<String> admits(ListenerResult listener, String routeNamespace, String gatewayNamespace) {
    if (!listener.acceptsHttpRoutes()) {
      return Optional.of("HTTPRoute is not among allowedRoutes.kinds");
    }
    switch (listener.from()) {
      case "All":
        return Optional.empty();
      case "Same":
        return routeNamespace.equals(gatewayNamespace) ? Optional.empty()
            : Optional.of("routes from namespace " + routeNamespace + " are not allowed "
                + "(allowedRoutes.namespaces.from: Same)");
      case "Selector":
        if (!index.knowsNamespaces()) {
          return Optional.of("allowedRoutes.namespaces.from: Selector needs Namespace labels, and this source "
              + "provides no Namespace objects");
        }
        Map<String, String> labels = new HashMap<>();
        index.namespace(routeNamespace).map(ns -> ns.getMetadata().getLabels()).ifPresent(l -> {
          if (l != null) {
            labels.putAll(l);
          }
        });
        labels.put(METADATA_NAME_LABEL, routeNamespace);
        return matches(listener.selector(), labels) ? Optional.empty()
            : Optional.of("namespace " + routeNamespace + " does not match allowedRoutes.namespaces.selector");
      default:
        return Optional.of("allowedRoutes.namespaces.from: \"" + listener.from()
            + "\" (expected: Same, All or Selector)");
    }
  }

  static boolean matches(@Nullable LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!Objects.equals(labels.get(e.getKey()), e.getValue())) {
          return false;
        }
      }
    }
    List<LabelSelectorRequirement> expressions =
        selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
    for (LabelSelectorRequirement r : expressions) {
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      String value = labels.get(r.getKey());
      boolean ok = switch (Objects.toString(r.getOperator(), "")) {
        case "In" -> value != null && values.contains(value);
        case "NotIn" -> value == null || !values.contains(value);
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static List<String> union(List<String> a, List<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return List.of();
    }
    List<String> all = new ArrayList<>(a);
    b.stream().filter(h -> !all.contains(h)).forEach(all::add);
    return all;
  }

  /** The listeners a parentRef attaches to, with hostnames, or why none. */
  private record Outcome(Map<String, List<String>> listeners, String reason, String message) {
    static Outcome refused(String reason, String message) {
      return new Outcome(Map.of(), reason, message);
    }
  }
}
