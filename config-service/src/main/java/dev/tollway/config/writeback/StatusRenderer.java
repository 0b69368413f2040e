package dev.tollway.config.writeback;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.status.Condition;
import dev.tollway.config.status.ListenerStatus;
import dev.tollway.config.status.ParentRef;
import dev.tollway.config.status.ParentStatus;
import dev.tollway.config.status.ResourceStatus;
import dev.tollway.config.status.RouteKind;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddress;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Turns a {@link ResourceStatus} into the Kubernetes status of its resource, given the status the resource has
 * now. Pure: the time is passed in. A condition keeps its {@code lastTransitionTime} while its {@code status} stays
 * the same (reason, message and {@code observedGeneration} may change), as {@code meta.SetStatusCondition} does;
 * so rendering an unchanged verdict gives back the status as it is, and nothing is written.
 */
public final class StatusRenderer {

  private static final int MAX_MESSAGE = 32_768;

  private final String controllerName;
  private final String now;

  /**
   * @param controllerName this controller's name ({@code status.parents[].controllerName} of routes)
   * @param now the time of new transitions
   */
  public StatusRenderer(String controllerName, Instant now) {
    this.controllerName = requireNonNull(controllerName, "controllerName");
    this.now = requireNonNull(now, "now").truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** A GatewayClass's status: the conditions; supported features as they were. */
  public GatewayClassStatus gatewayClass(@Nullable GatewayClassStatus old, ResourceStatus verdict) {
    GatewayClassStatus status = new GatewayClassStatus();
    status.setConditions(conditions(verdict.conditions(), old == null ? null : old.getConditions()));
    status.setSupportedFeatures(old == null ? new ArrayList<>() : old.getSupportedFeatures());
    return status;
  }

  /** A Gateway's status: conditions, listeners (in declaration order) and the addresses of its Service. */
  public GatewayStatus gateway(@Nullable GatewayStatus old, ResourceStatus verdict, List<GatewayStatusAddress> addresses) {
    GatewayStatus status = new GatewayStatus();
    status.setConditions(conditions(verdict.conditions(), old == null ? null : old.getConditions()));
    status.setAddresses(new ArrayList<>(addresses));
    List<io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus> listeners = new ArrayList<>();
    for (ListenerStatus listener : verdict.listeners()) {
      List<io.fabric8.kubernetes.api.model.Condition> previous = null;
      if (old != null && old.getListeners() != null) {
        previous = old.getListeners().stream().filter(l -> listener.name().equals(l.getName())).findFirst()
            .map(io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus::getConditions).orElse(null);
      }
      List<RouteGroupKind> kinds = new ArrayList<>();
      for (RouteKind kind : listener.supportedKinds()) {
        kinds.add(new RouteGroupKind(kind.group(), kind.kind()));
      }
      listeners.add(new io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus(
          listener.attachedRoutes(), conditions(listener.conditions(), previous), listener.name(), kinds));
    }
    status.setListeners(listeners);
    status.setAttachedListenerSets(old == null ? null : old.getAttachedListenerSets());
    return status;
  }

  /**
   * A route's status: the entries of other controllers as they are (in their order), then this controller's
   * entries for {@code parents} (its earlier entries for parents no longer reported are dropped).
   */
  public HTTPRouteStatus route(@Nullable HTTPRouteStatus old, String routeNamespace, List<ParentStatus> parents) {
    List<RouteParentStatus> entries = new ArrayList<>();
    List<RouteParentStatus> ours = new ArrayList<>();
    if (old != null && old.getParents() != null) {
      for (RouteParentStatus entry : old.getParents()) {
        (controllerName.equals(entry.getControllerName()) ? ours : entries).add(entry);
      }
    }
    for (ParentStatus parent : parents) {
      List<io.fabric8.kubernetes.api.model.Condition> previous = ours.stream()
          .filter(e -> e.getParentRef() != null && same(parent.parentRef(), e.getParentRef(), routeNamespace))
          .findFirst().map(RouteParentStatus::getConditions).orElse(null);
      entries.add(new RouteParentStatus(conditions(parent.conditions(), previous), parent.controllerName(),
          reference(parent.parentRef())));
    }
    return new HTTPRouteStatus(entries);
  }

  /** The status of an {@code agentgateway.dev} resource: {@code status.conditions}; other keys as they were. */
  public Map<String, Object> custom(@Nullable Map<String, Object> old, ResourceStatus verdict) {
    Map<String, Object> status = new LinkedHashMap<>(old == null ? Map.of() : old);
    List<io.fabric8.kubernetes.api.model.Condition> previous = new ArrayList<>();
    if (old != null && old.get("conditions") instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof Map<?, ?> map) {
          previous.add(new ConditionBuilder()
              .withType(string(map.get("type"))).withStatus(string(map.get("status")))
              .withLastTransitionTime(string(map.get("lastTransitionTime"))).build());
        }
      }
    }
    List<Map<String, Object>> conditions = new ArrayList<>();
    for (io.fabric8.kubernetes.api.model.Condition c : conditions(verdict.conditions(), previous)) {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("type", c.getType());
      map.put("status", c.getStatus());
      map.put("reason", c.getReason());
      map.put("message", c.getMessage());
      map.put("lastTransitionTime", c.getLastTransitionTime());
      if (c.getObservedGeneration() != null) {
        map.put("observedGeneration", c.getObservedGeneration());
      }
      conditions.add(map);
    }
    status.put("conditions", conditions);
    return status;
  }

  private List<io.fabric8.kubernetes.api.model.Condition> conditions(
      List<Condition> verdicts, @Nullable List<io.fabric8.kubernetes.api.model.Condition> previous) {
    List<io.fabric8.kubernetes.api.model.Condition> out = new ArrayList<>();
    for (Condition c : verdicts) {
      String since = now;
      if (previous != null) {
        for (io.fabric8.kubernetes.api.model.Condition p : previous) {
          if (c.type().equals(p.getType()) && c.status().name().equals(p.getStatus())
              && p.getLastTransitionTime() != null) {
            since = p.getLastTransitionTime();
          }
        }
      }
      String message = c.message().length() > MAX_MESSAGE ? c.message().substring(0, MAX_MESSAGE) : c.message();
      out.add(new ConditionBuilder()
          .withType(c.type())
          .withStatus(c.status().name())
          .withReason(c.reason())
          .withMessage(message)
          .withLastTransitionTime(since)
          .withObservedGeneration(c.observedGeneration())
          .build());
    }
    return out;
  }

  private static ParentReference reference(ParentRef ref) {
    return new ParentReference(ref.group(), ref.kind(), ref.name(), ref.namespace(), ref.port(), ref.sectionName());
  }

  private static boolean same(ParentRef ref, ParentReference entry, String routeNamespace) {
    String group = entry.getGroup() == null ? ref.group() : entry.getGroup();
    String kind = entry.getKind() == null ? "Gateway" : entry.getKind();
    String namespace = entry.getNamespace() == null ? routeNamespace : entry.getNamespace();
    return ref.group().equals(group) && ref.kind().equals(kind) && ref.namespace().equals(namespace)
        && ref.name().equals(entry.getName()) && Objects.equals(ref.sectionName(), entry.getSectionName())
        && Objects.equals(ref.port(), entry.getPort());
  }

  private static @Nullable String string(@Nullable Object value) {
    return value == null ? null : value.toString();
  }
}
