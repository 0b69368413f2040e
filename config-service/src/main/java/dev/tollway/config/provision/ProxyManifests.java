package dev.tollway.config.provision;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.model.Resources;
import dev.tollway.schemas.snapshot.Listener;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayInfrastructure;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a Gateway's proxies should look like: a Secret (the snapshot key and any secret Kafka settings), a
 * Deployment of edge-proxy serving {@code TOLLWAY_GATEWAY=<namespace>/<name>}, and a Service named after the
 * Gateway whose ports are the listener ports. A pure function: same input, same objects, same
 * {@value ProxyLabels#SPEC_HASH_ANNOTATION}.
 *
 * <p>Ports: a listener port below 1024 is served on container port {@code port + 8000} (80 on 8080, 443 on 8443)
 * so that the proxy runs without privileges; others on the same number. The admin port 15021 carries
 * {@code /readyz} (readiness), {@code /healthz} (liveness) and {@code /metrics} (Prometheus text): the pods carry
 * the {@code prometheus.io/scrape}, {@code prometheus.io/port} and {@code prometheus.io/path} annotations that
 * Prometheus' usual pod discovery reads (the Gateway's {@code infrastructure.annotations} may override them).
 */
public final class ProxyManifests {

  public static final String CONTAINER = "edge-proxy";
  public static final int ADMIN_PORT = 15021;
  /** The pod annotations that point Prometheus at the admin port's {@code /metrics}. */
  public static final Map<String, String> SCRAPE_ANNOTATIONS = Map.of(
      "prometheus.io/scrape", "true",
      "prometheus.io/port", String.valueOf(ADMIN_PORT),
      "prometheus.io/path", "/metrics");
  static final String SECRET_MOUNT = "/var/run/tollway/secret";
  static final String KEY_ENTRY = "snapshot.key";
  static final String STATE_DIR = "/var/lib/tollway";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private ProxyManifests() {}

  /**
   * The inputs.
   *
   * @param gateway the Gateway (accepted, of an owned class, with a uid)
   * @param className its class
   * @param listeners the listeners its snapshot serves
   * @param parameters the merged {@code AgentgatewayParameters} of its class and itself
   * @param settings config-service's provisioning settings
   * @param snapshotKey the base64 snapshot key the proxies need
   * @param controllerName this controller's name, recorded on every object
   */
  public record Inputs(Gateway gateway, String className, List<Listener> listeners, ProxyParameters parameters,
      ProvisioningSettings settings, String snapshotKey, String controllerName) {
    public Inputs {
      requireNonNull(gateway, "gateway");
      requireNonNull(className, "className");
      listeners = List.copyOf(listeners);
      requireNonNull(parameters, "parameters");
      requireNonNull(settings, "settings");
      requireNonNull(snapshotKey, "snapshotKey");
      requireNonNull(controllerName, "controllerName");
    }

    @Override
    public String toString() {
      return "Inputs[gateway=" + Resources.key(gateway) + ", snapshotKey=<redacted>]";
    }
  }

  /** The three objects of a Gateway. */
  public record Desired(Secret secret, Service service, Deployment deployment) {}

  /** The name of a Gateway's Secret. */
  public static String secretName(String gatewayName) {
    return gatewayName + "-tollway-proxy";
  }

  public static Desired build(Inputs in) {
    requireNonNull(in, "in");
    String namespace = Resources.namespace(in.gateway());
    String name = Resources.name(in.gateway());
    GatewayInfrastructure infrastructure =
        in.gateway().getSpec() == null ? null : in.gateway().getSpec().getInfrastructure();
    Map<String, String> infraLabels = infrastructure == null || infrastructure.getLabels() == null
        ? Map.of() : infrastructure.getLabels();
    Map<String, String> infraAnnotations = infrastructure == null || infrastructure.getAnnotations() == null
        ? Map.of() : infrastructure.getAnnotations();
    SortedMap<String, String> labels = new TreeMap<>(infraLabels);
    labels.putAll(labelValues(ProxyLabels.standard(name, in.className())));
    List<OwnerReference> owners = List.of(new OwnerReferenceBuilder()
        .withApiVersion(Resources.GATEWAY_GROUP + "/v1")
        .withKind("Gateway")
        .withName(name)
        .withUid(in.gateway().getMetadata().getUid())
        .withController(true)
        .build());

    // the Secret: the snapshot key, and Kafka settings whose values are secrets
    SortedMap<String, String> secretData = new TreeMap<>();
    secretData.put(KEY_ENTRY, base64(in.snapshotKey()));
    in.settings().kafkaProperties().forEach((property, value) -> {
      if (ProvisioningSettings.isSecretProperty(property)) {
        secretData.put(kafkaEnv(property), base64(value));
      }
    });
    Secret secret = hashed(new SecretBuilder()
        .withNewMetadata().withName(secretName(name)).withNamespace(namespace).withLabels(labels)
        .withAnnotations(controller(in, Map.of())).withOwnerReferences(owners).endMetadata()
        .withType("Opaque")
        .withData(secretData)
        .build());

    // ports: declared listener port -> container port
    SortedMap<Integer, String> portNames = new TreeMap<>();
    for (Listener listener : in.listeners()) {
      portNames.putIfAbsent(listener.port(), listener.name());
    }
    SortedMap<Integer, Integer> containerPorts = containerPorts(portNames.keySet());

    List<ServicePort> servicePorts = new ArrayList<>();
    List<ContainerPort> ports = new ArrayList<>();
    containerPorts.forEach((declared, container) -> {
      String listenerName = portNames.get(declared);
      servicePorts.add(new ServicePortBuilder()
          .withName(listenerName.length() <= 63 ? listenerName : "port-" + declared)
          .withProtocol("TCP").withPort(declared).withTargetPort(new IntOrString(container)).build());
      ports.add(new ContainerPortBuilder().withName(containerPortName(listenerName, container))
          .withContainerPort(container).withProtocol("TCP").build());
    });
    ports.add(new ContainerPortBuilder().withName("admin").withContainerPort(ADMIN_PORT).withProtocol("TCP").build());

    SortedMap<String, String> serviceLabels = new TreeMap<>(in.parameters().serviceLabels());
    serviceLabels.putAll(labels);
    SortedMap<String, String> serviceAnnotations = new TreeMap<>(infraAnnotations);
    serviceAnnotations.putAll(in.parameters().serviceAnnotations());
    Service service = hashed(new ServiceBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(serviceLabels)
        .withAnnotations(controller(in, serviceAnnotations)).withOwnerReferences(owners).endMetadata()
        .withNewSpec()
        .withType(in.parameters().serviceType() != null ? in.parameters().serviceType() : in.settings().serviceType())
        .withSelector(labelValues(ProxyLabels.selector(name)))
        .withPorts(servicePorts)
        .endSpec()
        .build());

    SortedMap<String, String> deploymentLabels = new TreeMap<>(in.parameters().deploymentLabels());
    deploymentLabels.putAll(labels);
    SortedMap<String, String> deploymentAnnotations = new TreeMap<>(infraAnnotations);
    deploymentAnnotations.putAll(in.parameters().deploymentAnnotations());
    Map<String, String> podAnnotations = new TreeMap<>(SCRAPE_ANNOTATIONS);
    podAnnotations.putAll(infraAnnotations);
    podAnnotations.put(ProxyLabels.SECRET_HASH_ANNOTATION, hash(SERIALIZATION.asJson(secretData)));
    Deployment deployment = hashed(new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(deploymentLabels)
        .withAnnotations(controller(in, deploymentAnnotations)).withOwnerReferences(owners).endMetadata()
        .withNewSpec()
        .withReplicas(in.parameters().replicas() != null ? in.parameters().replicas() : in.settings().replicas())
        .withNewSelector().withMatchLabels(labelValues(ProxyLabels.selector(name))).endSelector()
        .withNewTemplate()
        .withNewMetadata().withLabels(labels).withAnnotations(podAnnotations).endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withTerminationGracePeriodSeconds(45L)
        .withNewSecurityContext().withRunAsNonRoot(true).withNewSeccompProfile().withType("RuntimeDefault")
        .endSeccompProfile().endSecurityContext()
        .addNewContainer()
        .withName(CONTAINER)
        .withImage(image(in.settings().image(), in.parameters().image()))
        .withImagePullPolicy(in.parameters().image().getOrDefault("pullPolicy", in.settings().pullPolicy()))
        .withPorts(ports)
        .withEnv(env(in, namespace + "/" + name, declaredToContainer(containerPorts)))
        .withResources(resources(in.parameters()))
        .withNewReadinessProbe().withNewHttpGet().withPath("/readyz").withPort(new IntOrString("admin"))
        .endHttpGet().withPeriodSeconds(5).withFailureThreshold(3).endReadinessProbe()
        .withNewLivenessProbe().withNewHttpGet().withPath("/healthz").withPort(new IntOrString("admin"))
        .endHttpGet().withInitialDelaySeconds(10).withPeriodSeconds(10).withFailureThreshold(3).endLivenessProbe()
        .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
        .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
        .addNewVolumeMount().withName("secret").withMountPath(SECRET_MOUNT).withReadOnly(true).endVolumeMount()
        .addNewVolumeMount().withName("state").withMountPath(STATE_DIR).endVolumeMount()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .endContainer()
        .addNewVolume().withName("secret").withNewSecret().withSecretName(secretName(name)).withDefaultMode(0440)
        .withItems(new io.fabric8.kubernetes.api.model.KeyToPathBuilder().withKey(KEY_ENTRY).withPath(KEY_ENTRY)
            .build())
        .endSecret().endVolume()
        .addNewVolume().withName("state").withNewEmptyDir().endEmptyDir().endVolume()
        .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build());
    return new Desired(secret, service, deployment);
  }

  /** Declared listener port to the container port that serves it. */
  static SortedMap<Integer, Integer> containerPorts(Set<Integer> declared) {
    SortedMap<Integer, Integer> mapping = new TreeMap<>();
    Set<Integer> taken = new HashSet<>(declared);
    taken.add(ADMIN_PORT);
    for (int port : new TreeSet<>(declared)) {
      if (port >= 1024) {
        mapping.put(port, port);
        continue;
      }
      int candidate = port + 8000;
      while (taken.contains(candidate)) {
        candidate++;
      }
      taken.add(candidate);
      mapping.put(port, candidate);
    }
    return mapping;
  }

  private static SortedMap<Integer, Integer> declaredToContainer(SortedMap<Integer, Integer> mapping) {
    SortedMap<Integer, Integer> moved = new TreeMap<>();
    mapping.forEach((declared, container) -> {
      if (!declared.equals(container)) {
        moved.put(declared, container);
      }
    });
    return moved;
  }

  private static List<EnvVar> env(Inputs in, String gatewayKey, SortedMap<Integer, Integer> moved) {
    Map<String, EnvVar> env = new LinkedHashMap<>();
    put(env, new EnvVarBuilder().withName("TOLLWAY_GATEWAY").withValue(gatewayKey).build());
    put(env, new EnvVarBuilder().withName("TOLLWAY_KAFKA_BOOTSTRAP").withValue(in.settings().kafkaBootstrap()).build());
    put(env, new EnvVarBuilder().withName("TOLLWAY_SNAPSHOT_KEY_FILE").withValue(SECRET_MOUNT + "/" + KEY_ENTRY)
        .build());
    put(env, new EnvVarBuilder().withName("TOLLWAY_ADMIN_PORT").withValue(String.valueOf(ADMIN_PORT)).build());
    put(env, new EnvVarBuilder().withName("TOLLWAY_STATE_DIR").withValue(STATE_DIR).build());
    if (!moved.isEmpty()) {
      StringBuilder portMap = new StringBuilder();
      moved.forEach((declared, container) ->
          portMap.append(portMap.length() == 0 ? "" : ",").append(declared).append('=').append(container));
      put(env, new EnvVarBuilder().withName("TOLLWAY_PORT_MAP").withValue(portMap.toString()).build());
    }
    in.settings().kafkaProperties().forEach((property, value) -> {
      String name = kafkaEnv(property);
      if (ProvisioningSettings.isSecretProperty(property)) {
        put(env, new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
            .withName(secretName(Resources.name(in.gateway()))).withKey(name).endSecretKeyRef().endValueFrom().build());
      } else {
        put(env, new EnvVarBuilder().withName(name).withValue(value).build());
      }
    });
    for (Map<String, Object> variable : in.parameters().env()) {
      put(env, SERIALIZATION.convertValue(variable, EnvVar.class));
    }
    return new ArrayList<>(env.values());
  }

  private static void put(Map<String, EnvVar> env, EnvVar variable) {
    env.remove(variable.getName()); // a later definition replaces an earlier one, at the later position
    env.put(variable.getName(), variable);
  }

  /** {@code sasl.jaas.config} as the proxy's {@code TOLLWAY_KAFKA_SASL_JAAS_CONFIG}. */
  static String kafkaEnv(String property) {
    return "TOLLWAY_KAFKA_" + property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static ResourceRequirements resources(ProxyParameters parameters) {
    return parameters.resources() == null
        ? new ResourceRequirements()
        : SERIALIZATION.convertValue(parameters.resources(), ResourceRequirements.class);
  }

  /**
   * The image: {@code TOLLWAY_PROXY_IMAGE} split into registry, repository, tag and digest, each part replaced by
   * the parameters' {@code image} field of that name.
   */
  static String image(String base, Map<String, String> overrides) {
    String rest = base;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    String registry = null;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        registry = first;
        rest = rest.substring(slash + 1);
      }
    }
    registry = overrides.getOrDefault("registry", registry);
    String repository = overrides.getOrDefault("repository", rest);
    tag = overrides.getOrDefault("tag", tag);
    digest = overrides.getOrDefault("digest", digest);
    return (registry == null ? "" : registry + "/") + repository + (tag == null ? "" : ":" + tag)
        + (digest == null ? "" : "@" + digest);
  }

  private static String containerPortName(String listenerName, int port) {
    boolean ianaName = listenerName.length() <= 15 && listenerName.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?")
        && listenerName.matches(".*[a-z].*") && !listenerName.contains("--") && !listenerName.equals("admin");
    return ianaName ? listenerName : "port-" + port;
  }

  private static Map<String, String> controller(Inputs in, Map<String, String> annotations) {
    Map<String, String> all = new TreeMap<>(annotations);
    all.put(ProxyLabels.CONTROLLER_ANNOTATION, in.controllerName());
    return all;
  }

  /** Label values are at most 63 characters: longer ones are shortened with a hash suffix. */
  static Map<String, String> labelValues(Map<String, String> labels) {
    Map<String, String> fitted = new TreeMap<>();
    labels.forEach((k, v) -> fitted.put(k, v.length() <= 63 ? v : v.substring(0, 52) + "-" + hash(v).substring(0, 10)));
    return fitted;
  }

  /** Sets {@value ProxyLabels#SPEC_HASH_ANNOTATION} to the hash of everything else in the object. */
  private static <T extends HasMetadata> T hashed(T object) {
    object.getMetadata().getAnnotations().remove(ProxyLabels.SPEC_HASH_ANNOTATION);
    object.getMetadata().getAnnotations().put(ProxyLabels.SPEC_HASH_ANNOTATION, hash(SERIALIZATION.asJson(object)));
    return object;
  }

  static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
