package dev.tollway.config.snapshot;

import dev.tollway.config.model.ClusterState;
import dev.tollway.config.model.Resources;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Lookups over a {@link ClusterState} by namespace and name. */
final class Index {

  private final ClusterState state;
  private final Map<String, Secret> secrets;
  private final Map<String, Gateway> gateways;
  private final Map<String, HTTPRoute> httpRoutes;
  private final Map<String, Service> services;
  private final Map<String, Namespace> namespaces;
  private final Map<String, GatewayClass> gatewayClasses;
  private final Map<String, List<ReferenceGrant>> grantsByNamespace = new HashMap<>();

  Index(ClusterState state) {
    this.state = state;
    this.secrets = byKey(state.secrets());
    this.gateways = byKey(state.gateways());
    this.httpRoutes = byKey(state.httpRoutes());
    this.services = byKey(state.services());
    this.namespaces = byName(state.namespaces());
    this.gatewayClasses = byName(state.gatewayClasses());
  }

  ClusterState state() {
    return state;
  }

  Optional<Secret> secret(String namespace, String name) {
    return Optional.ofNullable(secrets.get(namespace + "/" + name));
  }

  /** The Secrets of a namespace, by name. */
  List<Secret> secretsIn(String namespace) {
    return state.secrets().stream().filter(s -> Resources.namespace(s).equals(namespace)).toList();
  }

  Optional<Gateway> gateway(String namespace, String name) {
    return Optional.ofNullable(gateways.get(namespace + "/" + name));
  }

  /** The Gateways of a namespace, by name. */
  List<Gateway> gatewaysIn(String namespace) {
    return state.gateways().stream().filter(g -> Resources.namespace(g).equals(namespace)).toList();
  }

  Optional<HTTPRoute> httpRoute(String namespace, String name) {
    return Optional.ofNullable(httpRoutes.get(namespace + "/" + name));
  }

  /** The HTTPRoutes of a namespace, by name. */
  List<HTTPRoute> httpRoutesIn(String namespace) {
    return state.httpRoutes().stream().filter(r -> Resources.namespace(r).equals(namespace)).toList();
  }

  Optional<Service> service(String namespace, String name) {
    return Optional.ofNullable(services.get(namespace + "/" + name));
  }

  Optional<GatewayClass> gatewayClass(String name) {
    return Optional.ofNullable(gatewayClasses.get(name));
  }

  /** Whether the state carries Namespace objects at all (the folder source usually does not). */
  boolean knowsNamespaces() {
    return !namespaces.isEmpty();
  }

  Optional<Namespace> namespace(String name) {
    return Optional.ofNullable(namespaces.get(name));
  }

  List<ReferenceGrant> grantsIn(String namespace) {
    return grantsByNamespace.computeIfAbsent(
        namespace, ns -> ReferenceGrants.in(state.referenceGrants(), ns));
  }

  private static <T extends HasMetadata> Map<String, T> byKey(List<T> resources) {
    Map<String, T> map = new HashMap<>();
    resources.forEach(r -> map.put(Resources.key(r), r));
    return map;
  }

  private static <T extends HasMetadata> Map<String, T> byName(List<T> resources) {
    Map<String, T> map = new HashMap<>();
    resources.forEach(r -> map.put(Resources.name(r), r));
    return map;
  }
}
