package dev.tollway.config.provision;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.model.ClusterState;
import dev.tollway.config.model.InvalidSpecException;
import dev.tollway.config.model.Resources;
import dev.tollway.config.snapshot.CompileResult;
import dev.tollway.config.status.Condition;
import dev.tollway.config.status.ConditionStatus;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.LocalParametersReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParametersReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the proxies of every accepted Gateway of an owned class in place: for each, a Secret, a Service and a
 * Deployment built by {@link ProxyManifests}, controlled by the Gateway (an owner reference, so that deleting the
 * Gateway lets Kubernetes collect them). Create-or-update, comparing the fields config-service owns with what the
 * informer caches hold (server-side apply is not used); an object of the same name that another party owns is
 * never touched. Objects it provisioned for a Gateway that is gone (or no longer owned) are deleted.
 *
 * <p>API calls: {@code create}, {@code update}, {@code delete} on {@code deployments} (apps), {@code services}
 * and {@code secrets} in the Gateways' namespaces (reads come from the informer caches).
 */
public final class ProxyProvisioner {

  private static final Logger log = LoggerFactory.getLogger(ProxyProvisioner.class);
  private static final String PARAMETERS_KIND = "AgentgatewayParameters";

  private final KubernetesClient client;
  private final ProxyCache cache;
  private final ProvisioningSettings settings;
  private final String snapshotKey;
  private final String controllerName;
  private final KubernetesSerialization serialization;

  /**
   * @param client the client that writes
   * @param cache the Deployments and parameters the informers hold
   * @param settings image, Service type, replicas, Kafka settings for the proxies
   * @param snapshotKey the base64 key the proxies open sealed credentials with
   * @param controllerName this controller's name
   */
  public ProxyProvisioner(KubernetesClient client, ProxyCache cache, ProvisioningSettings settings,
      String snapshotKey, String controllerName) {
    this.client = requireNonNull(client, "client");
    this.cache = requireNonNull(cache, "cache");
    this.settings = requireNonNull(settings, "settings");
    this.snapshotKey = requireNonNull(snapshotKey, "snapshotKey");
    this.controllerName = requireNonNull(controllerName, "controllerName");
    this.serialization = client.getKubernetesSerialization();
  }

  /** Makes the cluster hold exactly the proxies of the accepted Gateways of {@code result}. */
  public ProvisionResult provision(ClusterState state, CompileResult result) {
    requireNonNull(state, "state");
    requireNonNull(result, "result");
    List<String> changes = new ArrayList<>();
    SortedMap<String, String> invalid = new TreeMap<>();
    SortedMap<String, String> failures = new TreeMap<>();
    Map<String, Gateway> gateways = new HashMap<>();
    state.gateways().forEach(g -> gateways.put(Resources.key(g), g));
    Map<String, GatewayClass> classes = new HashMap<>();
    state.gatewayClasses().forEach(c -> classes.put(Resources.name(c), c));

    Map<String, String> ownedUids = new HashMap<>(); // uid -> gateway key, for every owned Gateway
    for (String key : result.snapshots().keySet()) {
      Gateway gateway = gateways.get(key);
      if (gateway != null && gateway.getMetadata().getUid() != null) {
        ownedUids.put(gateway.getMetadata().getUid(), key);
      }
    }
    cleanUp(state, ownedUids, changes, failures);

    for (Map.Entry<String, GatewaySnapshot> entry : result.snapshots().entrySet()) {
      String key = entry.getKey();
      Gateway gateway = gateways.get(key);
      if (gateway == null || gateway.getMetadata().getUid() == null || !accepted(result, key)) {
        continue; // not accepted: what it has keeps running untouched until it is fixed or deleted
      }
      String className = gateway.getSpec().getGatewayClassName();
      ProxyParameters parameters;
      try {
        parameters = parameters(classes.get(className), gateway);
      } catch (IllegalArgumentException e) {
        invalid.put(key, e.getMessage());
        continue;
      }
      ProxyManifests.Desired desired = ProxyManifests.build(new ProxyManifests.Inputs(gateway, className,
          entry.getValue().listeners(), parameters, settings, snapshotKey, controllerName));
      String uid = gateway.getMetadata().getUid();
      String ns = Resources.namespace(gateway);
      apply(key, uid, desired.secret(), find(state.secrets(), ns, desired.secret()), this::mergeSecret, changes,
          failures);
      apply(key, uid, desired.service(), find(state.services(), ns, desired.service()), this::mergeService,
          changes, failures);
      apply(key, uid, desired.deployment(), find(cache.deployments(), ns, desired.deployment()),
          this::mergeDeployment, changes, failures);
    }
    changes.forEach(change -> log.info("provisioning: {}", change));
    return new ProvisionResult(changes, invalid, failures);
  }

  private static boolean accepted(CompileResult result, String gatewayKey) {
    return result.statuses().stream()
        .filter(s -> s.resource().kind().equals("Gateway") && s.resource().key().equals(gatewayKey))
        .findFirst()
        .flatMap(s -> s.condition(Condition.Types.ACCEPTED))
        .map(c -> c.status() == ConditionStatus.True)
        .orElse(false);
  }

  /** The class's parameters, then the Gateway's on top. */
  private ProxyParameters parameters(@Nullable GatewayClass gatewayClass, Gateway gateway) {
    ProxyParameters merged = ProxyParameters.NONE;
    if (gatewayClass != null && gatewayClass.getSpec() != null && gatewayClass.getSpec().getParametersRef() != null) {
      ParametersReference ref = gatewayClass.getSpec().getParametersRef();
      if (ref.getNamespace() == null || ref.getNamespace().isBlank()) {
        throw new IllegalArgumentException("GatewayClass " + Resources.name(gatewayClass)
            + ": spec.parametersRef.namespace: missing (expected: the namespace of the AgentgatewayParameters)");
      }
      merged = merged.then(read("GatewayClass " + Resources.name(gatewayClass) + ": spec.parametersRef",
          ref.getGroup(), ref.getKind(), ref.getNamespace(), ref.getName()));
    }
    if (gateway.getSpec().getInfrastructure() != null && gateway.getSpec().getInfrastructure().getParametersRef() != null) {
      LocalParametersReference ref = gateway.getSpec().getInfrastructure().getParametersRef();
      merged = merged.then(read("spec.infrastructure.parametersRef", ref.getGroup(), ref.getKind(),
          Resources.namespace(gateway), ref.getName()));
    }
    return merged;
  }

  private ProxyParameters read(String path, @Nullable String group, @Nullable String kind, String namespace,
      @Nullable String name) {
    if (!Resources.AGENTGATEWAY_GROUP.equals(group) || !PARAMETERS_KIND.equals(kind) || name == null) {
      throw new IllegalArgumentException(path + ": " + group + "/" + kind + " " + name
          + " (expected: a reference to an agentgateway.dev/AgentgatewayParameters)");
    }
    GenericKubernetesResource parameters = cache.parameters(namespace, name).orElseThrow(() ->
        new IllegalArgumentException(path + ": AgentgatewayParameters " + namespace + "/" + name + " not found"));
    try {
      return ProxyParameters.read(parameters);
    } catch (InvalidSpecException e) {
      throw new IllegalArgumentException("AgentgatewayParameters " + namespace + "/" + name + ": " + e.getMessage());
    }
  }

  private <T extends HasMetadata> void apply(String gatewayKey, String uid, T desired, @Nullable T existing,
      BinaryOperator<T> merge, List<String> changes, Map<String, String> failures) {
    String what = desired.getKind() + " " + Resources.key(desired);
    try {
      if (existing == null) {
        client.resource(desired).create();
        changes.add("created " + what);
      } else if (!controlledBy(existing, uid)) {
        failures.merge(gatewayKey, what + " exists and is not managed by Tollway for this Gateway",
            (a, b) -> a + "; " + b);
      } else if (needsUpdate(existing, desired)) {
        client.resource(merge.apply(serialization.clone(existing), desired)).update();
        changes.add("updated " + what);
      }
    } catch (KubernetesClientException e) {
      String reason = e.getCode() == 409 ? "conflict (the cache was behind; retrying)" : e.getMessage();
      failures.merge(gatewayKey, what + ": " + reason, (a, b) -> a + "; " + b);
    }
  }

  private boolean needsUpdate(HasMetadata existing, HasMetadata desired) {
    String want = desired.getMetadata().getAnnotations().get(ProxyLabels.SPEC_HASH_ANNOTATION);
    Map<String, String> annotations = existing.getMetadata().getAnnotations();
    if (annotations == null || !Objects.equals(annotations.get(ProxyLabels.SPEC_HASH_ANNOTATION), want)) {
      return true;
    }
    return !ManifestDiff.contains(serialization.unmarshal(serialization.asJson(existing), Map.class),
        serialization.unmarshal(serialization.asJson(desired), Map.class));
  }

  private Secret mergeSecret(Secret existing, Secret desired) {
    mergeMetadata(existing, desired);
    existing.setData(desired.getData());
    return existing;
  }

  private Service mergeService(Service existing, Service desired) {
    mergeMetadata(existing, desired);
    String type = desired.getSpec().getType();
    Map<Integer, Integer> nodePorts = new HashMap<>();
    if (existing.getSpec().getPorts() != null) {
      existing.getSpec().getPorts().forEach(p -> {
        if (p.getNodePort() != null) {
          nodePorts.put(p.getPort(), p.getNodePort());
        }
      });
    }
    List<ServicePort> ports = new ArrayList<>();
    for (ServicePort port : desired.getSpec().getPorts()) {
      ServicePort copy = serialization.clone(port);
      if (!"ClusterIP".equals(type)) {
        copy.setNodePort(nodePorts.get(port.getPort())); // keep what the server allocated
      }
      ports.add(copy);
    }
    existing.getSpec().setType(type);
    existing.getSpec().setSelector(desired.getSpec().getSelector());
    existing.getSpec().setPorts(ports);
    return existing;
  }

  private Deployment mergeDeployment(Deployment existing, Deployment desired) {
    mergeMetadata(existing, desired);
    existing.getSpec().setReplicas(desired.getSpec().getReplicas());
    existing.getSpec().setTemplate(desired.getSpec().getTemplate());
    return existing;
  }

  private static void mergeMetadata(HasMetadata existing, HasMetadata desired) {
    Map<String, String> labels = new TreeMap<>(Optional.ofNullable(existing.getMetadata().getLabels()).orElse(Map.of()));
    labels.putAll(desired.getMetadata().getLabels());
    existing.getMetadata().setLabels(labels);
    Map<String, String> annotations =
        new TreeMap<>(Optional.ofNullable(existing.getMetadata().getAnnotations()).orElse(Map.of()));
    annotations.putAll(desired.getMetadata().getAnnotations());
    existing.getMetadata().setAnnotations(annotations);
    existing.getMetadata().setOwnerReferences(desired.getMetadata().getOwnerReferences());
  }

  /** Deletes what this controller provisioned for a Gateway that is gone or no longer owned. */
  private void cleanUp(ClusterState state, Map<String, String> ownedUids, List<String> changes,
      Map<String, String> failures) {
    List<HasMetadata> managed = new ArrayList<>(cache.deployments());
    managed.addAll(state.services());
    managed.addAll(state.secrets());
    for (HasMetadata object : managed) {
      Map<String, String> labels = object.getMetadata().getLabels();
      Map<String, String> annotations = object.getMetadata().getAnnotations();
      if (labels == null || annotations == null || !ProxyLabels.MANAGED_BY.equals(labels.get(ProxyLabels.MANAGED_BY_LABEL))
          || !controllerName.equals(annotations.get(ProxyLabels.CONTROLLER_ANNOTATION))) {
        continue;
      }
      Optional<OwnerReference> owner = gatewayOwner(object);
      if (owner.isPresent() && ownedUids.containsKey(owner.get().getUid())) {
        continue;
      }
      String what = object.getKind() + " " + Resources.key(object);
      try {
        client.resource(object).delete();
        changes.add("deleted " + what + " (its Gateway " + Resources.namespace(object) + "/"
            + owner.map(OwnerReference::getName).orElse("?") + " is gone or no longer owned)");
      } catch (KubernetesClientException e) {
        failures.put(Resources.namespace(object) + "/" + owner.map(OwnerReference::getName).orElse("?"),
            "cannot delete " + what + ": " + e.getMessage());
      }
    }
  }

  private static Optional<OwnerReference> gatewayOwner(HasMetadata object) {
    List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
    return owners == null ? Optional.empty() : owners.stream()
        .filter(o -> "Gateway".equals(o.getKind()) && Boolean.TRUE.equals(o.getController()))
        .findFirst();
  }

  private static boolean controlledBy(HasMetadata object, String uid) {
    return gatewayOwner(object).map(o -> uid.equals(o.getUid())).orElse(false);
  }

  private static <T extends HasMetadata> @Nullable T find(List<T> objects, String namespace, HasMetadata desired) {
    String name = Resources.name(desired);
    for (T object : objects) {
      if (Resources.namespace(object).equals(namespace) && Resources.name(object).equals(name)) {
        return object;
      }
    }
    return null;
  }
}
