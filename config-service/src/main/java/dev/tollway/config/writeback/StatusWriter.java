package dev.tollway.config.writeback;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.kubernetes.AgentgatewayKinds;
import dev.tollway.config.model.ClusterState;
import dev.tollway.config.model.Resources;
import dev.tollway.config.provision.ProvisionResult;
import dev.tollway.config.provision.ProxyLabels;
import dev.tollway.config.snapshot.CompileResult;
import dev.tollway.config.status.Condition;
import dev.tollway.config.status.Condition.Types;
import dev.tollway.config.status.ObjectRef;
import dev.tollway.config.status.ParentRef;
import dev.tollway.config.status.ParentStatus;
import dev.tollway.config.status.ResourceStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddress;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the compiler's verdicts back as status: {@code GatewayClass} (Accepted), {@code Gateway} (Accepted,
 * Programmed, listeners with attached routes and supported kinds, addresses of the provisioned Service),
 * {@code HTTPRoute} ({@code status.parents[]} entries of this controller only; other controllers' entries stay),
 * {@code AgentgatewayBackend} and {@code AgentgatewayPolicy} ({@code status.conditions}).
 *
 * <p>Each status is rendered from the resource as the informer cache holds it and compared with what it has:
 * equal means nothing is written, so a resync that changes nothing writes nothing. Writes are
 * {@code PUT .../status} with the cached {@code resourceVersion}; a 409 re-reads the resource and renders again
 * (up to {@value #ATTEMPTS} attempts).
 *
 * <p>API calls: {@code update} on {@code gatewayclasses/status}, {@code gateways/status}, {@code httproutes/status}
 * ({@code gateway.networking.k8s.io}), {@code agentgatewaybackends/status}, {@code agentgatewaypolicies/status}
 * ({@code agentgateway.dev}); {@code get} on the same resources after a conflict.
 */
public final class StatusWriter {

  static final int ATTEMPTS = 5;
  private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final String controllerName;
  private final KubernetesSerialization serialization;

  public StatusWriter(KubernetesClient client, Clock clock, String controllerName) {
    this.client = requireNonNull(client, "client");
    this.clock = requireNonNull(clock, "clock");
    this.controllerName = requireNonNull(controllerName, "controllerName");
    this.serialization = client.getKubernetesSerialization();
  }

  /**
   * Writes every status that differs from what the resource has.
   *
   * @param state the resources as cached (the objects whose status is compared and written)
   * @param result the verdicts
   * @param provisioning what provisioning reported: a Gateway whose parameters are invalid is not accepted, one
   *     whose proxies could not be written is not programmed
   */
  public WriteResult write(ClusterState state, CompileResult result, ProvisionResult provisioning) {
    requireNonNull(state, "state");
    requireNonNull(result, "result");
    requireNonNull(provisioning, "provisioning");
    StatusRenderer renderer = new StatusRenderer(controllerName, clock.instant());
    Map<ObjectRef, ResourceStatus> verdicts = new HashMap<>();
    result.statuses().forEach(s -> verdicts.put(s.resource(), s));
    Counter counter = new Counter();

    for (GatewayClass gatewayClass : state.gatewayClasses()) {
      ResourceStatus verdict = verdicts.get(ref(gatewayClass, null));
      if (verdict != null) {
        update(counter, gatewayClass, current -> {
          GatewayClass copy = serialization.clone(current);
          copy.setStatus(renderer.gatewayClass(current.getStatus(), verdict));
          return copy;
        }, GatewayClass::getStatus, c -> client.resources(GatewayClass.class).withName(Resources.name(c)).get(),
            c -> client.resource(c).updateStatus());
      }
    }
    Map<String, Service> services = new HashMap<>();
    state.services().forEach(s -> services.put(Resources.key(s), s));
    for (Gateway gateway : state.gateways()) {
      ResourceStatus verdict = verdicts.get(ref(gateway, Resources.namespace(gateway)));
      if (verdict != null) {
        ResourceStatus adjusted = adjust(verdict, Resources.key(gateway), provisioning);
        List<GatewayStatusAddress> addresses = addresses(services.get(Resources.key(gateway)));
        update(counter, gateway, current -> {
          Gateway copy = serialization.clone(current);
          copy.setStatus(renderer.gateway(current.getStatus(), adjusted, addresses));
          return copy;
        }, Gateway::getStatus, g -> client.resources(Gateway.class).inNamespace(Resources.namespace(g))
            .withName(Resources.name(g)).get(), g -> client.resource(g).updateStatus());
      }
    }
    for (HTTPRoute route : state.httpRoutes()) {
      List<ParentStatus> parents = parents(route, verdicts.get(ref(route, Resources.namespace(route))), result);
      boolean hadOurs = route.getStatus() != null && route.getStatus().getParents() != null
          && route.getStatus().getParents().stream().anyMatch(p -> controllerName.equals(p.getControllerName()));
      if (parents.isEmpty() && !hadOurs) {
        continue; // not ours, and never was
      }
      String ns = Resources.namespace(route);
      update(counter, route, current -> {
        HTTPRoute copy = serialization.clone(current);
        copy.setStatus(renderer.route(current.getStatus(), ns, parents));
        return copy;
      }, HTTPRoute::getStatus, r -> client.resources(HTTPRoute.class).inNamespace(ns).withName(Resources.name(r)).get(),
          r -> client.resource(r).updateStatus());
    }
    List<GenericKubernetesResource> custom = new ArrayList<>(state.agentgatewayBackends());
    custom.addAll(state.agentgatewayPolicies());
    for (GenericKubernetesResource resource : custom) {
      ResourceStatus verdict = verdicts.get(ref(resource, Resources.namespace(resource)));
      if (verdict == null) {
        continue;
      }
      var context = AgentgatewayKinds.of(resource.getKind());
      update(counter, resource, current -> {
        GenericKubernetesResource copy = serialization.clone(current);
        Map<String, Object> rendered = renderer.custom(customStatus(current), verdict);
        if (resource.getKind().equals("AgentgatewayBackend")) {
          rendered.put("provider", BackendSummary.providers(current));
        }
        copy.setAdditionalProperty("status", rendered);
        return copy;
      }, StatusWriter::customStatus, r -> client.genericKubernetesResources(context)
          .inNamespace(Resources.namespace(r)).withName(Resources.name(r)).get(),
          r -> client.genericKubernetesResources(context).resource(r).updateStatus());
    }
    WriteResult written = new WriteResult(counter.written, counter.unchanged, counter.conflicts, counter.failures);
    if (written.written() > 0 || !written.ok()) {
      log.info("status: {} written, {} unchanged, {} conflicts retried, {} failed", written.written(),
          written.unchanged(), written.conflicts(), written.failures().size());
    }
    return written;
  }

  /**
   * Renders from the cached object and writes when different; on 409 re-reads and renders again.
   *
   * @param render the object with its new status (a copy: cached objects are never changed)
   * @param status reads the status, for the comparison
   * @param fresh reads the resource from the API after a conflict ({@code null} if it is gone)
   * @param write writes the status
   */
  private <T extends HasMetadata> void update(Counter counter, T cached, UnaryOperator<T> render,
      Function<T, @Nullable Object> status, Function<T, @Nullable T> fresh, Function<T, ?> write) {
    String what = cached.getKind() + " " + (cached instanceof GatewayClass ? Resources.name(cached) : Resources.key(cached));
    T current = cached;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      T desired = render.apply(current);
      if (same(status.apply(current), status.apply(desired))) {
        counter.unchanged++;
        return;
      }
      try {
        write.apply(desired);
        counter.written++;
        log.debug("status written: {}", what);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return; // deleted meanwhile
        }
        if (e.getCode() != 409) {
          counter.failures.put(what, e.getCode() + " " + e.getMessage());
          return;
        }
        counter.conflicts++;
        log.debug("status of {} changed meanwhile (409); reading it again", what);
        try {
          current = fresh.apply(current);
        } catch (KubernetesClientException again) {
          counter.failures.put(what, again.getMessage());
          return;
        }
        if (current == null) {
          return;
        }
      }
    }
    counter.failures.put(what, "status still conflicting after " + ATTEMPTS + " attempts");
  }

  private boolean same(@Nullable Object a, @Nullable Object b) {
    return Objects.equals(tree(a), tree(b));
  }

  /** The status as a JSON tree (through JSON text, so that numbers compare whatever their Java type). */
  private Object tree(@Nullable Object status) {
    return status == null ? Map.of() : serialization.unmarshal(serialization.asJson(status), Map.class);
  }

  /** This controller's parent entries for a route; a route that could not be compiled gets its condition on each. */
  private List<ParentStatus> parents(HTTPRoute route, @Nullable ResourceStatus verdict, CompileResult result) {
    if (verdict == null) {
      return List.of();
    }
    if (!verdict.parents().isEmpty() || verdict.conditions().isEmpty()) {
      return verdict.parents();
    }
    List<ParentStatus> parents = new ArrayList<>();
    if (route.getSpec() != null && route.getSpec().getParentRefs() != null) {
      for (ParentReference ref : route.getSpec().getParentRefs()) {
        String ns = ref.getNamespace() == null ? Resources.namespace(route) : ref.getNamespace();
        if (ref.getName() != null && result.snapshots().containsKey(ns + "/" + ref.getName())) {
          parents.add(new ParentStatus(new ParentRef(ref.getGroup() == null ? Resources.GATEWAY_GROUP : ref.getGroup(),
              ref.getKind() == null ? "Gateway" : ref.getKind(), ns, ref.getName(), ref.getSectionName(),
              ref.getPort()), controllerName, verdict.conditions()));
        }
      }
    }
    return parents;
  }

  /** A Gateway's verdict with what provisioning found. */
  static ResourceStatus adjust(ResourceStatus verdict, String gatewayKey, ProvisionResult provisioning) {
    String invalid = provisioning.invalidParameters().get(gatewayKey);
    String failure = provisioning.failures().get(gatewayKey);
    if (invalid == null && failure == null) {
      return verdict;
    }
    Long generation = verdict.generation();
    List<Condition> conditions = new ArrayList<>();
    for (Condition c : verdict.conditions()) {
      if (invalid != null && c.type().equals(Types.ACCEPTED)) {
        conditions.add(Condition.fails(Types.ACCEPTED, "InvalidParameters", invalid, generation));
      } else if (c.type().equals(Types.PROGRAMMED)) {
        conditions.add(invalid != null
            ? Condition.fails(Types.PROGRAMMED, "Invalid", "proxies not provisioned: " + invalid, generation)
            : Condition.fails(Types.PROGRAMMED, "Pending", "proxies not provisioned yet: " + failure, generation));
      } else {
        conditions.add(c);
      }
    }
    return new ResourceStatus(verdict.resource(), generation, conditions, verdict.listeners(), verdict.parents());
  }

  /** The provisioned Service's addresses: load balancer ingress, else the cluster IP. */
  static List<GatewayStatusAddress> addresses(@Nullable Service service) {
    List<GatewayStatusAddress> addresses = new ArrayList<>();
    if (service == null || service.getMetadata().getLabels() == null
        || !ProxyLabels.MANAGED_BY.equals(service.getMetadata().getLabels().get(ProxyLabels.MANAGED_BY_LABEL))) {
      return addresses;
    }
    if (service.getStatus() != null && service.getStatus().getLoadBalancer() != null
        && service.getStatus().getLoadBalancer().getIngress() != null) {
      for (LoadBalancerIngress ingress : service.getStatus().getLoadBalancer().getIngress()) {
        if (ingress.getIp() != null && !ingress.getIp().isBlank()) {
          addresses.add(new GatewayStatusAddress("IPAddress", ingress.getIp()));
        } else if (ingress.getHostname() != null && !ingress.getHostname().isBlank()) {
          addresses.add(new GatewayStatusAddress("Hostname", ingress.getHostname()));
        }
      }
    }
    String clusterIp = service.getSpec() == null ? null : service.getSpec().getClusterIP();
    if (addresses.isEmpty() && clusterIp != null && !clusterIp.isBlank() && !Set.of("None").contains(clusterIp)) {
      addresses.add(new GatewayStatusAddress("IPAddress", clusterIp));
    }
    return addresses;
  }

  @SuppressWarnings("unchecked")
  private static @Nullable Map<String, Object> customStatus(GenericKubernetesResource resource) {
    Object status = resource.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
  }

  private static ObjectRef ref(HasMetadata resource, @Nullable String namespace) {
    String kind = Objects.toString(resource.getKind(), resource.getClass().getSimpleName());
    return new ObjectRef(Resources.group(resource.getApiVersion()), kind, namespace, Resources.name(resource));
  }

  private static final class Counter {
    int written;
    int unchanged;
    int conflicts;
    final SortedMap<String, String> failures = new TreeMap<>();
  }
}
