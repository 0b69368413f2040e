package dev.tollway.config.model;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every input resource of the compiler, as fabric8 objects. Both the folder source and (later) the
 * Kubernetes informers build one. Lists are sorted by namespace and name, so two states with the same
 * resources are equal whatever order they were read in; a kind/namespace/name appears at most once.
 *
 * <p>The fabric8 objects are mutable; nobody may change them once they are in a state (the compiler only
 * reads them).
 *
 * @param gatewayClasses {@code GatewayClass} (cluster-scoped)
 * @param gateways {@code Gateway}
 * @param httpRoutes {@code HTTPRoute}
 * @param referenceGrants {@code ReferenceGrant} ({@code v1beta1} documents are read into the same type)
 * @param secrets {@code Secret}
 * @param services {@code Service}
 * @param namespaces {@code Namespace} (cluster-scoped), for {@code allowedRoutes.namespaces.selector}
 * @param agentgatewayBackends {@code AgentgatewayBackend} ({@code agentgateway.dev})
 * @param agentgatewayPolicies {@code AgentgatewayPolicy} ({@code agentgateway.dev})
 * @param modelPrices {@code ModelPrice} ({@code tollway.dev}): operators' price overrides
 * @param budgets {@code Budget} ({@code tollway.dev})
 */
public record ClusterState(
    List<GatewayClass> gatewayClasses,
    List<Gateway> gateways,
    List<HTTPRoute> httpRoutes,
    List<ReferenceGrant> referenceGrants,
    List<Secret> secrets,
    List<Service> services,
    List<Namespace> namespaces,
    List<GenericKubernetesResource> agentgatewayBackends,
    List<GenericKubernetesResource> agentgatewayPolicies,
    List<GenericKubernetesResource> modelPrices,
    List<GenericKubernetesResource> budgets) {

  public static final String AGENTGATEWAY_BACKEND = "AgentgatewayBackend";
  public static final String AGENTGATEWAY_POLICY = "AgentgatewayPolicy";
  public static final String MODEL_PRICE = "ModelPrice";
  public static final String BUDGET = "Budget";

  private static final Comparator<HasMetadata> BY_KEY =
      Comparator.comparing(Resources::namespace).thenComparing(Resources::name);

  public ClusterState {
    gatewayClasses = canonical(gatewayClasses, "GatewayClass");
    gateways = canonical(gateways, "Gateway");
    httpRoutes = canonical(httpRoutes, "HTTPRoute");
    referenceGrants = canonical(referenceGrants, "ReferenceGrant");
    secrets = canonical(secrets, "Secret");
    services = canonical(services, "Service");
    namespaces = canonical(namespaces, "Namespace");
    agentgatewayBackends = canonical(agentgatewayBackends, AGENTGATEWAY_BACKEND);
    agentgatewayPolicies = canonical(agentgatewayPolicies, AGENTGATEWAY_POLICY);
    modelPrices = canonical(modelPrices, MODEL_PRICE);
    budgets = canonical(budgets, BUDGET);
  }

  public static ClusterState empty() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** How many resources the state holds. */
  public int size() {
    return gatewayClasses.size() + gateways.size() + httpRoutes.size() + referenceGrants.size()
        + secrets.size() + services.size() + namespaces.size() + agentgatewayBackends.size()
        + agentgatewayPolicies.size() + modelPrices.size() + budgets.size();
  }

  private static <T extends HasMetadata> List<T> canonical(List<T> resources, String kind) {
    List<T> sorted = new ArrayList<>(resources);
    sorted.forEach(r -> requireNonNull(r, kind));
    sorted.sort(BY_KEY);
    Set<String> seen = new HashSet<>();
    for (T r : sorted) {
      if (!seen.add(Resources.key(r))) {
        throw new IllegalArgumentException("duplicate " + kind + " " + Resources.key(r));
      }
    }
    return List.copyOf(sorted);
  }

  /** What {@link Builder#add} did with a resource. */
  public enum Added {
    /** The resource is new in the state. */
    ADDED,
    /** The resource replaced an earlier one with the same kind, namespace and name. */
    REPLACED,
    /** The resource is of a kind the compiler does not read. */
    IGNORED
  }

  /**
   * Collects resources; a later resource with the same kind, namespace and name replaces the earlier one,
   * as a second {@code kubectl apply} does. Not thread-safe.
   */
  public static final class Builder {
    private final Map<String, GatewayClass> gatewayClasses = new LinkedHashMap<>();
    private final Map<String, Gateway> gateways = new LinkedHashMap<>();
    private final Map<String, HTTPRoute> httpRoutes = new LinkedHashMap<>();
    private final Map<String, ReferenceGrant> referenceGrants = new LinkedHashMap<>();
    private final Map<String, Secret> secrets = new LinkedHashMap<>();
    private final Map<String, Service> services = new LinkedHashMap<>();
    private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
    private final Map<String, GenericKubernetesResource> backends = new LinkedHashMap<>();
    private final Map<String, GenericKubernetesResource> policies = new LinkedHashMap<>();
    private final Map<String, GenericKubernetesResource> modelPrices = new LinkedHashMap<>();
    private final Map<String, GenericKubernetesResource> budgets = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds a resource of any kind the compiler reads; {@code v1beta1} Gateway API objects are converted to
     * their {@code v1} types. Other kinds are {@link Added#IGNORED ignored}.
     */
    public Added add(HasMetadata resource) {
      requireNonNull(resource, "resource");
      if (resource instanceof GatewayClass r) {
        return put(gatewayClasses, r);
      } else if (resource instanceof Gateway r) {
        return put(gateways, r);
      } else if (resource instanceof HTTPRoute r) {
        return put(httpRoutes, r);
      } else if (resource instanceof ReferenceGrant r) {
        return put(referenceGrants, r);
      } else if (resource instanceof Secret r) {
        return put(secrets, r);
      } else if (resource instanceof Service r) {
        return put(services, r);
      } else if (resource instanceof Namespace r) {
        return put(namespaces, r);
      } else if (resource instanceof GenericKubernetesResource r) {
        return addCustom(r);
      }
      return V1.convert(resource).map(this::add).orElse(Added.IGNORED);
    }

    private Added addCustom(GenericKubernetesResource resource) {
      String group = Resources.group(resource.getApiVersion());
      if (Resources.TOLLWAY_GROUP.equals(group)) {
        return addTollway(resource);
      }
      if (!Resources.AGENTGATEWAY_GROUP.equals(group)) {
        return Added.IGNORED;
      }
      if (AGENTGATEWAY_BACKEND.equals(resource.getKind())) {
        return put(backends, resource);
      }
      if (AGENTGATEWAY_POLICY.equals(resource.getKind())) {
        return put(policies, resource);
      }
      return Added.IGNORED;
    }

    private Added addTollway(GenericKubernetesResource resource) {
      if (MODEL_PRICE.equals(resource.getKind())) {
        return put(modelPrices, resource);
      }
      if (BUDGET.equals(resource.getKind())) {
        return put(budgets, resource);
      }
      return Added.IGNORED;
    }

    private static <T extends HasMetadata> Added put(Map<String, T> map, T resource) {
      return map.put(Resources.key(resource), resource) == null ? Added.ADDED : Added.REPLACED;
    }

    public ClusterState build() {
      return new ClusterState(
          List.copyOf(gatewayClasses.values()),
          List.copyOf(gateways.values()),
          List.copyOf(httpRoutes.values()),
          List.copyOf(referenceGrants.values()),
          List.copyOf(secrets.values()),
          List.copyOf(services.values()),
          List.copyOf(namespaces.values()),
          List.copyOf(backends.values()),
          List.copyOf(policies.values()),
          List.copyOf(modelPrices.values()),
          List.copyOf(budgets.values()));
    }
  }
}
