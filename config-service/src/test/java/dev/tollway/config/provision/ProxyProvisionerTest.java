package dev.tollway.config.provision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.config.Manifests;
import dev.tollway.config.kubernetes.AgentgatewayKinds;
import dev.tollway.config.kubernetes.MockCluster;
import dev.tollway.config.model.ClusterState;
import dev.tollway.config.snapshot.SnapshotCompiler;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Proxies provisioned on fabric8's mock API server (CRUD mode; it has no garbage collector). */
@EnableKubernetesMockClient(crud = true, https = false)
class ProxyProvisionerTest {

  static final String IMAGE = "registry.example.com/tollway/edge-proxy:0.1.0";

  KubernetesClient client;
  private final SnapshotCompiler compiler = new SnapshotCompiler(Manifests.cipher());

  /** The caches the provisioner reads, straight from the API. */
  private final ProxyCache cache = new ProxyCache() {
    @Override
    public List<Deployment> deployments() {
      return client.apps().deployments().inAnyNamespace()
          .withLabel(ProxyLabels.MANAGED_BY_LABEL, ProxyLabels.MANAGED_BY).list().getItems();
    }

    @Override
    public Optional<GenericKubernetesResource> parameters(String namespace, String name) {
      return Optional.ofNullable(client.genericKubernetesResources(AgentgatewayKinds.PARAMETERS)
          .inNamespace(namespace).withName(name).get());
    }
  };

  @BeforeEach
  void tutorialGateway() {
    MockCluster.installCrds(client);
    MockCluster.apply(client, """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: agentgateway}
        spec: {controllerName: tollway.dev/gateway-controller}
        """);
    MockCluster.apply(client, Manifests.text("seed/01-gateway.yaml"));
  }

  private ProvisionResult provision(ProvisioningSettings settings) {
    ClusterState state = MockCluster.state(client);
    return new ProxyProvisioner(client, cache, settings, Manifests.KEY, SnapshotCompiler.DEFAULT_CONTROLLER_NAME)
        .provision(state, compiler.compile(state));
  }

  private ProvisionResult provision() {
    return provision(settings(Map.of()));
  }

  private static ProvisioningSettings settings(Map<String, String> extra) {
    Map<String, String> env = new TreeMap<>(Map.of("TOLLWAY_PROXY_IMAGE", IMAGE));
    env.putAll(extra);
    return ProvisioningSettings.fromEnv(env, true, "kafka-0.kafka:9092",
        new TreeMap<>(Map.of("security.protocol", "SASL_SSL")));
  }

  private Deployment deployment() {
    return client.apps().deployments().inNamespace("default").withName("agentgateway").get();
  }

  private Service service() {
    return client.services().inNamespace("default").withName("agentgateway").get();
  }

  private Secret secret() {
    return client.secrets().inNamespace("default").withName("agentgateway-tollway-proxy").get();
  }

  private static Map<String, EnvVar> env(Deployment deployment) {
    Map<String, EnvVar> env = new TreeMap<>();
    deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().forEach(e -> env.put(e.getName(), e));
    return env;
  }

  @Test
  void shouldCreateADeploymentAServiceAndASecretControlledByTheGateway() {
    // When the tutorial's Gateway is provisioned, with a SASL password among the proxies' Kafka settings
    ProvisionResult result = provision(settings(Map.of(
        "TOLLWAY_PROXY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "TOLLWAY_PROXY_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule "
            + "required username=\"proxy\" password=\"s3cret\";")));

    // Then the three objects exist, controlled by the Gateway
    assertThat(result.ok()).isTrue();
    assertThat(result.changes()).containsExactly("created Secret default/agentgateway-tollway-proxy",
        "created Service default/agentgateway", "created Deployment default/agentgateway");
    String uid = client.resources(Gateway.class).inNamespace("default").withName("agentgateway").get()
        .getMetadata().getUid();
    for (var object : List.of(deployment(), service(), secret())) {
      assertThat(object.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
        assertThat(owner.getKind()).isEqualTo("Gateway");
        assertThat(owner.getUid()).isEqualTo(uid);
        assertThat(owner.getController()).isTrue();
      });
      assertThat(object.getMetadata().getLabels())
          .containsEntry("gateway.networking.k8s.io/gateway-name", "agentgateway")
          .containsEntry("app.kubernetes.io/managed-by", "tollway-config-service");
    }
    // the Service: listener port 80 to the unprivileged container port 8080, selecting the proxy pods
    Service service = service();
    assertThat(service.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
      assertThat(port.getName()).isEqualTo("http");
      assertThat(port.getPort()).isEqualTo(80);
      assertThat(port.getTargetPort().getIntVal()).isEqualTo(8080);
    });
    Deployment deployment = deployment();
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(service.getSpec().getSelector());
    // the proxy: the image, what it serves, where Kafka and the key are, probes on the admin port
    Container proxy = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(proxy.getImage()).isEqualTo(IMAGE);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    Map<String, EnvVar> env = env(deployment);
    assertThat(env.get("TOLLWAY_GATEWAY").getValue()).isEqualTo("default/agentgateway");
    assertThat(env.get("TOLLWAY_KAFKA_BOOTSTRAP").getValue()).isEqualTo("kafka-0.kafka:9092");
    assertThat(env.get("TOLLWAY_PORT_MAP").getValue()).isEqualTo("80=8080");
    assertThat(env.get("TOLLWAY_SNAPSHOT_KEY_FILE").getValue()).isEqualTo("/var/run/tollway/secret/snapshot.key");
    assertThat(env.get("TOLLWAY_KAFKA_SECURITY_PROTOCOL").getValue()).isEqualTo("SASL_SSL");
    assertThat(env.get("TOLLWAY_KAFKA_SASL_JAAS_CONFIG").getValue()).isNull();
    assertThat(env.get("TOLLWAY_KAFKA_SASL_JAAS_CONFIG").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("agentgateway-tollway-proxy");
    assertThat(proxy.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(proxy.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(proxy.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("http:8080", "admin:15021");
    // and Prometheus is pointed at the admin port's /metrics
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "15021")
        .containsEntry("prometheus.io/path", "/metrics");
    assertThat(deployment.toString()).doesNotContain("s3cret").doesNotContain(Manifests.KEY);
    // the Secret: the snapshot key and the password
    Map<String, String> data = secret().getData();
    assertThat(decode(data.get("snapshot.key"))).isEqualTo(Manifests.KEY);
    assertThat(decode(data.get("TOLLWAY_KAFKA_SASL_JAAS_CONFIG"))).contains("password=\"s3cret\"");
  }

  @Test
  void shouldApplyTheParametersOfTheClassThenThoseOfTheGateway() {
    // Given parameters on the class (replicas, resources, a ClusterIP Service, labels) and on the Gateway
    MockCluster.apply(client, """
        apiVersion: agentgateway.dev/v1alpha1
        kind: AgentgatewayParameters
        metadata: {name: class-wide, namespace: tollway-system}
        spec:
          image: {tag: "0.2.0", pullPolicy: IfNotPresent}
          resources:
            requests: {cpu: 250m, memory: 256Mi}
            limits: {memory: 512Mi}
          env: [{name: TOLLWAY_IO_THREADS, value: "4"}]
          deployment:
            metadata: {labels: {team: platform}, annotations: {example.com/owner: platform}}
            spec: {replicas: 2}
          service:
            metadata: {annotations: {example.com/lb: internal}}
            spec: {type: ClusterIP}
        ---
        apiVersion: agentgateway.dev/v1alpha1
        kind: AgentgatewayParameters
        metadata: {name: tutorial, namespace: default}
        spec:
          deployment:
            spec: {replicas: 3}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: agentgateway}
        spec:
          controllerName: tollway.dev/gateway-controller
          parametersRef: {group: agentgateway.dev, kind: AgentgatewayParameters, name: class-wide,
            namespace: tollway-system}
        """);
    Gateway gateway = client.resources(Gateway.class).inNamespace("default").withName("agentgateway").get();
    gateway.getSpec().setInfrastructure(new io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayInfrastructureBuilder()
        .withNewParametersRef().withGroup("agentgateway.dev").withKind("AgentgatewayParameters")
        .withName("tutorial").endParametersRef()
        .withLabels(Map.of("cost-center", "llm")).build());
    client.resource(gateway).update();

    // When provisioned
    ProvisionResult result = provision();

    // Then the Gateway's replicas win, the class's other settings apply, infrastructure labels spread
    assertThat(result.invalidParameters()).isEmpty();
    Deployment deployment = deployment();
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    assertThat(deployment.getMetadata().getLabels()).containsEntry("team", "platform").containsEntry("cost-center", "llm");
    assertThat(deployment.getMetadata().getAnnotations()).containsEntry("example.com/owner", "platform");
    Container proxy = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(proxy.getImage()).isEqualTo("registry.example.com/tollway/edge-proxy:0.2.0");
    assertThat(proxy.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(proxy.getResources().getRequests().get("cpu").toString()).isEqualTo("250m");
    assertThat(proxy.getResources().getLimits().get("memory").toString()).isEqualTo("512Mi");
    assertThat(env(deployment).get("TOLLWAY_IO_THREADS").getValue()).isEqualTo("4");
    assertThat(service().getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(service().getMetadata().getAnnotations()).containsEntry("example.com/lb", "internal");
    assertThat(service().getMetadata().getLabels()).containsEntry("cost-center", "llm");
  }

  @Test
  void shouldRefuseParametersItCannotHonourAndProvisionNothing() {
    // Given Gateway parameters with a field Tollway does not support, and a class pointing at nothing
    MockCluster.apply(client, """
        apiVersion: agentgateway.dev/v1alpha1
        kind: AgentgatewayParameters
        metadata: {name: tutorial, namespace: default}
        spec:
          rawConfig: {binds: []}
        """);
    Gateway gateway = client.resources(Gateway.class).inNamespace("default").withName("agentgateway").get();
    gateway.getSpec().setInfrastructure(new io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayInfrastructureBuilder()
        .withNewParametersRef().withGroup("agentgateway.dev").withKind("AgentgatewayParameters")
        .withName("tutorial").endParametersRef().build());
    client.resource(gateway).update();

    // When provisioned
    ProvisionResult result = provision();

    // Then the Gateway is reported with the field's path, and nothing is created
    assertThat(result.invalidParameters()).containsOnlyKeys("default/agentgateway");
    assertThat(result.invalidParameters().get("default/agentgateway"))
        .contains("AgentgatewayParameters default/tutorial", "spec.rawConfig", "not supported");
    assertThat(deployment()).isNull();
    assertThat(service()).isNull();
  }

  @Test
  void shouldUpdateOnlyWhenWhatItOwnsChanged() {
    // Given the proxies provisioned
    provision();
    String deploymentVersion = deployment().getMetadata().getResourceVersion();
    String serviceVersion = service().getMetadata().getResourceVersion();

    // When provisioned again with nothing changed
    ProvisionResult again = provision();

    // Then nothing is written
    assertThat(again.changes()).isEmpty();
    assertThat(deployment().getMetadata().getResourceVersion()).isEqualTo(deploymentVersion);
    assertThat(service().getMetadata().getResourceVersion()).isEqualTo(serviceVersion);

    // When someone changes the image by hand, and the Gateway gets a second listener
    Deployment edited = deployment();
    edited.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil/proxy:latest");
    client.resource(edited).update();
    Gateway gateway = client.resources(Gateway.class).inNamespace("default").withName("agentgateway").get();
    gateway.getSpec().getListeners().add(new io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerBuilder()
        .withName("alt").withPort(8081).withProtocol("HTTP").build());
    client.resource(gateway).update();
    ProvisionResult updated = provision();

    // Then the image is restored and the new port served
    assertThat(updated.changes()).contains("updated Deployment default/agentgateway", "updated Service default/agentgateway");
    assertThat(deployment().getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(IMAGE);
    assertThat(service().getSpec().getPorts()).extracting(p -> p.getPort() + "->" + p.getTargetPort().getIntVal())
        .containsExactly("80->8080", "8081->8081");
  }

  @Test
  void shouldDeleteWhatItProvisionedWhenTheGatewayIsGone() {
    // Given the proxies provisioned
    provision();

    // When the Gateway is deleted (the mock server has no garbage collector to follow owner references)
    client.resources(Gateway.class).inNamespace("default").withName("agentgateway").delete();
    ProvisionResult result = provision();

    // Then config-service deletes them itself
    assertThat(result.changes()).hasSize(3).allMatch(change -> change.startsWith("deleted "));
    assertThat(deployment()).isNull();
    assertThat(service()).isNull();
    assertThat(secret()).isNull();
  }

  @Test
  void shouldNotTouchAnObjectItDoesNotManage() {
    // Given a Service named like the Gateway that someone else created
    client.resource(new ServiceBuilder().withNewMetadata().withName("agentgateway").withNamespace("default")
        .endMetadata().withNewSpec().withType("ClusterIP").addNewPort().withPort(9999).endPort().endSpec().build())
        .create();

    // When provisioned
    ProvisionResult result = provision();

    // Then it is reported and left as it is
    assertThat(result.failures()).containsOnlyKeys("default/agentgateway");
    assertThat(result.failures().get("default/agentgateway"))
        .contains("Service default/agentgateway exists and is not managed by Tollway");
    assertThat(service().getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(9999));
    assertThat(deployment()).isNotNull();
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
