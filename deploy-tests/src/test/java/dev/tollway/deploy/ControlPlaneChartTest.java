package dev.tollway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollway.schemas.crypto.SnapshotCipher;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** deploy/charts/tollway rendered by Helm as the tutorial installs it: release agentgateway in agentgateway-system. */
class ControlPlaneChartTest {

  static final String CONFIG_SERVICE = "agentgateway-config-service";
  static final String USAGE_STREAMS = "agentgateway-usage-streams";

  /** An existing Kafka without TLS or SASL, topics created by config-service. */
  static final String PLAIN_KAFKA = """
      kafka:
        bootstrap: kafka-0.kafka.svc:9092,kafka-1.kafka.svc:9092
        tls: {enabled: false}
        sasl: {enabled: false}
      topics:
        mode: admin
        replication: 2
      """;

  @AfterEach
  void forgetSecrets() {
    Charts.api().clear();
  }

  @Test
  void shouldRenderEveryObjectAsValidKubernetesWithTheDefaultValues() {
    // When (every document is parsed strictly into fabric8's typed model)
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, "");

    // Then
    assertThat(resources).extracting(r -> r.getKind() + "/" + r.getMetadata().getName()).containsExactlyInAnyOrder(
        "ServiceAccount/" + CONFIG_SERVICE,
        "ServiceAccount/" + USAGE_STREAMS,
        "Secret/agentgateway-snapshot-key",
        "ClusterRole/" + CONFIG_SERVICE + "-cluster",
        "ClusterRoleBinding/" + CONFIG_SERVICE + "-cluster",
        "ClusterRole/" + CONFIG_SERVICE,
        "ClusterRoleBinding/" + CONFIG_SERVICE,
        "Role/" + CONFIG_SERVICE + "-leader-election",
        "RoleBinding/" + CONFIG_SERVICE + "-leader-election",
        "Deployment/" + CONFIG_SERVICE,
        "PodDisruptionBudget/" + CONFIG_SERVICE,
        "StatefulSet/" + USAGE_STREAMS,
        "Service/" + USAGE_STREAMS,
        "Service/" + USAGE_STREAMS + "-headless",
        "PodDisruptionBudget/" + USAGE_STREAMS,
        "GatewayClass/agentgateway");
    assertThat(resources).filteredOn(r -> !r.getKind().startsWith("Cluster") && !r.getKind().equals("GatewayClass"))
        .allSatisfy(r -> assertThat(r.getMetadata().getNamespace()).isEqualTo(Charts.NAMESPACE));
    assertThat(resources).allSatisfy(r -> assertThat(r.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/instance", Charts.RELEASE)
        .containsEntry("app.kubernetes.io/managed-by", "Helm"));
  }

  @Test
  void shouldRenderEveryObjectAsValidKubernetesWithAPlainKafkaAndTopicsCreatedByConfigService() {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, PLAIN_KAFKA);

    // Then
    assertThat(resources).hasSize(16);
    assertThat(configServiceEnv(resources))
        .containsEntry("TOLLWAY_KAFKA_BOOTSTRAP", "kafka-0.kafka.svc:9092,kafka-1.kafka.svc:9092")
        .containsEntry("TOLLWAY_TOPICS", "create")
        .containsEntry("TOLLWAY_TOPIC_REPLICATION", "2")
        .doesNotContainKeys("TOLLWAY_KAFKA_SECURITY_PROTOCOL", "TOLLWAY_KAFKA_SASL_MECHANISM",
            "TOLLWAY_KAFKA_SASL_JAAS_CONFIG", "TOLLWAY_KAFKA_SSL_TRUSTSTORE_LOCATION");
    assertThat(configServiceEnv(resources).keySet()).as("the proxies get config-service's own settings")
        .noneMatch(key -> key.startsWith("TOLLWAY_PROXY_KAFKA_"));
    assertThat(usageStreamsEnv(resources)).doesNotContainKey("TOLLWAY_KAFKA_SECURITY_PROTOCOL");
    assertThat(volumes(podSpec(resources, Deployment.class))).doesNotContain("kafka-ca");
    assertThat(volumes(podSpec(resources, StatefulSet.class))).doesNotContain("kafka-ca");
  }

  @Test
  void shouldCreateTheAgentgatewayGatewayClassForTollwaysController() {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, "");

    // Then the class the tutorial's Gateway names, owned by the controller config-service is told it is
    GatewayClass gatewayClass = Charts.one(resources, GatewayClass.class, "agentgateway");
    assertThat(gatewayClass.getSpec().getControllerName()).isEqualTo("tollway.dev/gateway-controller");
    assertThat(gatewayClass.getSpec().getParametersRef()).isNull();
    assertThat(configServiceEnv(resources))
        .containsEntry("TOLLWAY_CONTROLLER_NAME", "tollway.dev/gateway-controller")
        .containsEntry("TOLLWAY_GATEWAY_CLASSES", "agentgateway");
  }

  @Test
  void shouldCreateASecondGatewayClassAndParametersRefWhenAsked() {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, """
        gatewayClass:
          names: [agentgateway, tollway]
          parametersRef: {name: proxy-defaults}
        """);

    // Then
    assertThat(Charts.ofType(resources, GatewayClass.class)).extracting(c -> c.getMetadata().getName())
        .containsExactly("agentgateway", "tollway");
    assertThat(Charts.ofType(resources, GatewayClass.class)).allSatisfy(c -> {
      assertThat(c.getSpec().getControllerName()).isEqualTo("tollway.dev/gateway-controller");
      assertThat(c.getSpec().getParametersRef().getGroup()).isEqualTo("agentgateway.dev");
      assertThat(c.getSpec().getParametersRef().getKind()).isEqualTo("AgentgatewayParameters");
      assertThat(c.getSpec().getParametersRef().getName()).isEqualTo("proxy-defaults");
      assertThat(c.getSpec().getParametersRef().getNamespace()).isEqualTo(Charts.NAMESPACE);
    });
    assertThat(configServiceEnv(resources)).containsEntry("TOLLWAY_GATEWAY_CLASSES", "agentgateway,tollway");
  }

  @Test
  void shouldRunTwoConfigServiceReplicasWithLeaderElectionSpreadOverNodes() {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, "");
    Deployment deployment = Charts.one(resources, Deployment.class, CONFIG_SERVICE);

    // Then
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(configServiceEnv(resources))
        .containsEntry("TOLLWAY_CONFIG_SOURCE", "kubernetes")
        .containsEntry("TOLLWAY_LEADER_ELECTION", "true")
        .containsEntry("TOLLWAY_PROXY_IMAGE", "tollway-edge-proxy:0.1.0")
        .doesNotContainKey("TOLLWAY_WATCH_NAMESPACES");
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo(CONFIG_SERVICE);
    assertThat(pod.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
        .singleElement().satisfies(term -> assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels())
            .isEqualTo(deployment.getSpec().getSelector().getMatchLabels()));
  }

  @Test
  void shouldProbeConfigServiceOnItsAdminPortAndLetPrometheusScrapeItsMetrics() {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, "");
    Deployment deployment = Charts.one(resources, Deployment.class, CONFIG_SERVICE);
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

    // Then the admin port is 15022, named admin, and config-service is told to listen there
    assertThat(container.getPorts()).singleElement().satisfies(port -> {
      assertThat(port.getName()).isEqualTo("admin");
      assertThat(port.getContainerPort()).isEqualTo(15022);
    });
    assertThat(configServiceEnv(resources)).containsEntry("TOLLWAY_ADMIN_PORT", "15022");
    // and readiness asks /readyz, liveness /healthz, both on that port
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
    // and Prometheus finds /metrics there
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "15022")
        .containsEntry("prometheus.io/path", "/metrics");
  }

  @Test
  void shouldMoveConfigServicesAdminPortProbesAndScrapeTogetherAndKeepTheOperatorsAnnotations() {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, """
        controller:
          adminPort: 16000
          podAnnotations: {prometheus.io/scrape: "false", example.com/team: platform}
        """);
    Deployment deployment = Charts.one(resources, Deployment.class, CONFIG_SERVICE);
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

    // Then
    assertThat(container.getPorts()).singleElement().satisfies(port -> {
      assertThat(port.getName()).isEqualTo("admin");
      assertThat(port.getContainerPort()).isEqualTo(16000);
    });
    assertThat(configServiceEnv(resources)).containsEntry("TOLLWAY_ADMIN_PORT", "16000");
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("admin");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/port", "16000")
        .containsEntry("prometheus.io/scrape", "false")
        .containsEntry("example.com/team", "platform");
  }

  @Test
  void shouldLeaveOutTheScrapeAnnotationsAndConfigServicesProbesWhenAsked() {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, """
        metrics: {scrapeAnnotations: false}
        controller: {livenessProbe: null, readinessProbe: null}
        """);
    Deployment deployment = Charts.one(resources, Deployment.class, CONFIG_SERVICE);
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

    // Then
    assertThat(container.getLivenessProbe()).isNull();
    assertThat(container.getReadinessProbe()).isNull();
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations()).isNullOrEmpty();
    assertThat(Charts.one(resources, StatefulSet.class, USAGE_STREAMS).getSpec().getTemplate().getMetadata()
        .getAnnotations()).isNullOrEmpty();
  }

  @Test
  void shouldRefuseSeveralConfigServiceReplicasWithoutLeaderElection() {
    assertThatThrownBy(() -> Charts.template(Charts.CONTROL_PLANE, "controller: {replicas: 3, leaderElection: false}"))
        .hasMessageContaining("controller.replicas: 3 with controller.leaderElection false")
        .hasMessageContaining("expected: leader election on for more than one replica");
  }

  @Test
  void shouldGiveProvisionedProxiesTheirOwnKafkaCredentialsAndTheCaCertificateInline() {
    // When (the defaults: TLS and SASL; the proxies run in the Gateways' namespaces, away from these Secrets)
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, "kafka: {properties: {client.dns.lookup: use_all_dns_ips}}");

    // Then config-service is given what to pass to each proxy
    assertThat(configServiceEnv(resources))
        .containsEntry("TOLLWAY_PROXY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
        .containsEntry("TOLLWAY_PROXY_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
        .containsEntry("TOLLWAY_PROXY_KAFKA_SASL_JAAS_CONFIG", "<from secret tollway-edge-proxy/sasl.jaas.config>")
        .containsEntry("TOLLWAY_PROXY_KAFKA_SSL_TRUSTSTORE_TYPE", "PEM")
        .containsEntry("TOLLWAY_PROXY_KAFKA_SSL_TRUSTSTORE_CERTIFICATES", "<from secret tollway-cluster-ca-cert/ca.crt>")
        .containsEntry("TOLLWAY_PROXY_KAFKA_CLIENT_DNS_LOOKUP", "use_all_dns_ips")
        .doesNotContainKeys("TOLLWAY_PROXY_KAFKA_SSL_TRUSTSTORE_LOCATION", "TOLLWAY_PROXY_KAFKA_BOOTSTRAP");
  }

  @Test
  void shouldPassTheProxySettingsThatAreGiven() {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, """
        proxy:
          image: {pullPolicy: Always}
          replicas: 3
          serviceType: ClusterIP
          kafkaBootstrap: kafka.example.internal:9093
        """);

    // Then
    assertThat(configServiceEnv(resources))
        .containsEntry("TOLLWAY_PROXY_IMAGE_PULL_POLICY", "Always")
        .containsEntry("TOLLWAY_PROXY_REPLICAS", "3")
        .containsEntry("TOLLWAY_PROXY_SERVICE_TYPE", "ClusterIP")
        .containsEntry("TOLLWAY_PROXY_KAFKA_BOOTSTRAP", "kafka.example.internal:9093");
    assertThat(configServiceEnv(Charts.render(Charts.CONTROL_PLANE, "")))
        .doesNotContainKeys("TOLLWAY_PROXY_IMAGE_PULL_POLICY", "TOLLWAY_PROXY_REPLICAS", "TOLLWAY_PROXY_SERVICE_TYPE");
  }

  @Test
  void shouldMirrorTheTutorialsPullPolicyFlagAndTakeImagesFromValues() {
    // When (the tutorial installs with --set controller.image.pullPolicy=Always)
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, """
        controller:
          image: {repository: registry.example/tollway/config-service, tag: "1.2.3", pullPolicy: Always}
        proxy:
          image: {repository: registry.example/tollway/edge-proxy, tag: "1.2.3"}
        """);

    // Then
    Container container = podSpec(resources, Deployment.class).getContainers().get(0);
    assertThat(container.getImagePullPolicy()).isEqualTo("Always");
    assertThat(container.getImage()).isEqualTo("registry.example/tollway/config-service:1.2.3");
    assertThat(configServiceEnv(resources)).containsEntry("TOLLWAY_PROXY_IMAGE", "registry.example/tollway/edge-proxy:1.2.3");
    assertThat(podSpec(resources, StatefulSet.class).getContainers().get(0).getImage()).isEqualTo("tollway-usage-streams:0.1.0");
  }

  @Test
  void shouldRunUsageStreamsAsAStatefulSetWithItsStateOnAVolumeAndItsApiBehindAServiceOnPort8090() {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, "");
    StatefulSet statefulSet = Charts.one(resources, StatefulSet.class, USAGE_STREAMS);
    Service service = Charts.one(resources, Service.class, USAGE_STREAMS);
    Container container = statefulSet.getSpec().getTemplate().getSpec().getContainers().get(0);

    // Then the HTTP API
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
      assertThat(port.getPort()).isEqualTo(8090);
      assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
    });
    assertThat(container.getPorts()).singleElement().satisfies(port -> {
      assertThat(port.getName()).isEqualTo("http");
      assertThat(port.getContainerPort()).isEqualTo(8090);
    });
    assertThat(usageStreamsEnv(resources)).containsEntry("TOLLWAY_USAGE_HTTP_PORT", "8090");
    assertThat(service.getSpec().getSelector()).isEqualTo(statefulSet.getSpec().getSelector().getMatchLabels());
    assertThat(statefulSet.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(service.getSpec().getSelector());
    // and the probes on the service's own endpoints
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    // and Prometheus finds /metrics on the same port
    assertThat(statefulSet.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "8090")
        .containsEntry("prometheus.io/path", "/metrics");
    // and the state directory on the instance's own volume
    assertThat(statefulSet.getSpec().getServiceName()).isEqualTo(USAGE_STREAMS + "-headless");
    assertThat(statefulSet.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(claim -> {
      assertThat(claim.getMetadata().getName()).isEqualTo("state");
      assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("5Gi");
    });
    assertThat(container.getVolumeMounts()).anySatisfy(mount -> {
      assertThat(mount.getName()).isEqualTo("state");
      assertThat(usageStreamsEnv(resources).get("TOLLWAY_USAGE_STATE_DIR")).startsWith(mount.getMountPath() + "/");
    });
  }

  @Test
  void shouldKeepUsageStreamsStateOnAnEmptyDirWhenPersistenceIsOff() {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, "usageStreams: {persistence: {enabled: false}}");

    // Then
    StatefulSet statefulSet = Charts.one(resources, StatefulSet.class, USAGE_STREAMS);
    assertThat(statefulSet.getSpec().getVolumeClaimTemplates()).isEmpty();
    assertThat(statefulSet.getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(volume -> {
          assertThat(volume.getName()).isEqualTo("state");
          assertThat(volume.getEmptyDir()).isNotNull();
        });
  }

  @Test
  void shouldGiveBothServicesTlsAndSaslSettingsWithEachServicesOwnCredentialsFromASecret() {
    // When (the defaults: Strimzi's TLS listener with SCRAM-SHA-512)
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, "");

    // Then
    for (Class<? extends HasMetadata> workload : List.of(Deployment.class, StatefulSet.class)) {
      PodSpec pod = podSpec(resources, workload);
      Container container = pod.getContainers().get(0);
      assertThat(Charts.env(container))
          .containsEntry("TOLLWAY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
          .containsEntry("TOLLWAY_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
          .containsEntry("TOLLWAY_KAFKA_SSL_TRUSTSTORE_TYPE", "PEM")
          .containsEntry("TOLLWAY_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/tollway/kafka-ca/ca.crt");
      assertThat(container.getVolumeMounts()).anySatisfy(mount -> {
        assertThat(mount.getName()).isEqualTo("kafka-ca");
        assertThat(mount.getMountPath()).isEqualTo("/etc/tollway/kafka-ca");
        assertThat(mount.getReadOnly()).isTrue();
      });
      Volume ca = pod.getVolumes().stream().filter(v -> v.getName().equals("kafka-ca")).findFirst().orElseThrow();
      assertThat(ca.getSecret().getSecretName()).isEqualTo("tollway-cluster-ca-cert");
      assertThat(ca.getSecret().getItems()).singleElement().satisfies(item -> assertThat(item.getPath()).isEqualTo("ca.crt"));
    }
    assertThat(configServiceEnv(resources))
        .containsEntry("TOLLWAY_KAFKA_SASL_JAAS_CONFIG", "<from secret tollway-config-service/sasl.jaas.config>");
    assertThat(usageStreamsEnv(resources))
        .containsEntry("TOLLWAY_KAFKA_SASL_JAAS_CONFIG", "<from secret tollway-usage-streams/sasl.jaas.config>");
  }

  @ParameterizedTest
  @CsvSource({
    "true, false, SSL",
    "false, true, SASL_PLAINTEXT",
    "true, true, SASL_SSL"
  })
  void shouldChooseTheSecurityProtocolFromTlsAndSasl(boolean tls, boolean sasl, String protocol) {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE,
        "kafka: {tls: {enabled: " + tls + "}, sasl: {enabled: " + sasl + "}}");

    // Then
    assertThat(configServiceEnv(resources)).containsEntry("TOLLWAY_KAFKA_SECURITY_PROTOCOL", protocol);
    assertThat(usageStreamsEnv(resources)).containsEntry("TOLLWAY_KAFKA_SECURITY_PROTOCOL", protocol);
    assertThat(configServiceEnv(resources).containsKey("TOLLWAY_KAFKA_SASL_JAAS_CONFIG")).isEqualTo(sasl);
    assertThat(volumes(podSpec(resources, StatefulSet.class)).contains("kafka-ca")).isEqualTo(tls);
  }

  @Test
  void shouldReadAPkcs12TrustStoreWithItsPasswordFromTheCaSecret() {
    // When (Strimzi's CA Secret also holds the CA as PKCS12 with its password)
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE,
        "kafka: {tls: {caSecret: {key: ca.p12, type: PKCS12, passwordKey: ca.password, pemKey: ca.crt}}}");

    // Then
    for (Map<String, String> env : List.of(configServiceEnv(resources), usageStreamsEnv(resources))) {
      assertThat(env)
          .containsEntry("TOLLWAY_KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12")
          .containsEntry("TOLLWAY_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/tollway/kafka-ca/ca.p12")
          .containsEntry("TOLLWAY_KAFKA_SSL_TRUSTSTORE_PASSWORD", "<from secret tollway-cluster-ca-cert/ca.password>");
    }
    assertThat(configServiceEnv(resources))
        .containsEntry("TOLLWAY_PROXY_KAFKA_SSL_TRUSTSTORE_CERTIFICATES", "<from secret tollway-cluster-ca-cert/ca.crt>");
  }

  @Test
  void shouldRefuseATrustStorePasswordForAPemCertificateAndAnUnknownTrustStoreType() {
    assertThatThrownBy(() -> Charts.template(Charts.CONTROL_PLANE, "kafka: {tls: {caSecret: {passwordKey: ca.password}}}"))
        .hasMessageContaining("kafka.tls.caSecret.passwordKey: set for a PEM trust store");
    assertThatThrownBy(() -> Charts.template(Charts.CONTROL_PLANE, "kafka: {tls: {caSecret: {type: P12}}}"))
        .hasMessageContaining("kafka.tls.caSecret.type: P12 (expected: PEM, PKCS12 or JKS)");
    assertThatThrownBy(() -> Charts.template(Charts.CONTROL_PLANE, "kafka: {tls: {caSecret: {key: ca.p12, type: PKCS12}}}"))
        .hasMessageContaining("kafka.tls.caSecret.pemKey: empty with a PKCS12 trust store");
  }

  @Test
  void shouldTrustTheJvmsDefaultCertificatesWhenNoCaSecretIsNamed() {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE,
        "kafka: {tls: {enabled: true, caSecret: {name: ''}}, sasl: {enabled: false}}");

    // Then
    assertThat(configServiceEnv(resources)).containsEntry("TOLLWAY_KAFKA_SECURITY_PROTOCOL", "SSL")
        .doesNotContainKeys("TOLLWAY_KAFKA_SSL_TRUSTSTORE_TYPE", "TOLLWAY_KAFKA_SSL_TRUSTSTORE_LOCATION");
    assertThat(volumes(podSpec(resources, Deployment.class))).doesNotContain("kafka-ca");
  }

  @Test
  void shouldPassFurtherKafkaPropertiesAsTollwayKafkaVariables() {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, """
        kafka:
          properties:
            client.dns.lookup: use_all_dns_ips
            ssl.endpoint.identification.algorithm: https
            request.timeout.ms: 20000
        """);

    // Then
    for (Map<String, String> env : List.of(configServiceEnv(resources), usageStreamsEnv(resources))) {
      assertThat(env)
          .containsEntry("TOLLWAY_KAFKA_CLIENT_DNS_LOOKUP", "use_all_dns_ips")
          .containsEntry("TOLLWAY_KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM", "https")
          .containsEntry("TOLLWAY_KAFKA_REQUEST_TIMEOUT_MS", "20000");
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "SSL_KEYSTORE_TYPE: PKCS12|kafka.properties: \"SSL_KEYSTORE_TYPE\" (expected: a Kafka client property name, lower case with dots)",
    "ssl.keystore.password: secret|kafka.properties: \"ssl.keystore.password\" (expected: set through kafka.bootstrap or the SASL Secret, not here)",
    "bootstrap.servers: a:9092|kafka.properties: \"bootstrap.servers\" (expected: set through kafka.bootstrap or the SASL Secret, not here)"
  })
  void shouldRefuseKafkaPropertiesThatCannotOrShouldNotBePassedAsValues(String property, String message) {
    assertThatThrownBy(() -> Charts.template(Charts.CONTROL_PLANE, "kafka: {properties: {" + property + "}}"))
        .hasMessageContaining(message);
  }

  @Test
  void shouldRefuseAnUnknownSaslMechanismAndAnUnknownTopicsMode() {
    assertThatThrownBy(() -> Charts.template(Charts.CONTROL_PLANE, "kafka: {sasl: {mechanism: GSSAPI}}"))
        .hasMessageContaining("kafka.sasl.mechanism: GSSAPI (expected: SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN)");
    assertThatThrownBy(() -> Charts.template(Charts.CONTROL_PLANE, "topics: {mode: auto}"))
        .hasMessageContaining("topics.mode: auto (expected: admin, strimzi or none)");
  }

  @Test
  void shouldGenerateAValidSnapshotKeyAndMountItForConfigService() {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, "");

    // Then the Secret holds the base64 text of a 32-byte key, as TOLLWAY_SNAPSHOT_KEY_FILE expects
    Secret secret = Charts.one(resources, Secret.class, "agentgateway-snapshot-key");
    String key = new String(Base64.getDecoder().decode(secret.getData().get("key")), StandardCharsets.US_ASCII);
    assertThat(Base64.getDecoder().decode(key)).hasSize(32);
    assertThat(SnapshotCipher.fromBase64(key)).isNotNull();
    assertThat(secret.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
    // and config-service reads it from the mounted Secret
    PodSpec pod = podSpec(resources, Deployment.class);
    assertThat(configServiceEnv(resources)).containsEntry("TOLLWAY_SNAPSHOT_KEY_FILE", "/etc/tollway/snapshot-key/key");
    assertThat(pod.getVolumes()).anySatisfy(volume ->
        assertThat(volume.getSecret() != null && volume.getSecret().getSecretName().equals("agentgateway-snapshot-key")).isTrue());
    assertThat(pod.getContainers().get(0).getVolumeMounts()).anySatisfy(mount ->
        assertThat(mount.getMountPath()).isEqualTo("/etc/tollway/snapshot-key"));
  }

  @Test
  void shouldKeepTheSnapshotKeyOfTheInstalledReleaseOnUpgrade() {
    // Given a release installed before: its Secret exists in the cluster
    Secret installed = Charts.one(Charts.render(Charts.CONTROL_PLANE, ""), Secret.class, "agentgateway-snapshot-key");
    Charts.api().putSecret(Charts.NAMESPACE, "agentgateway-snapshot-key", Serialization.asJson(installed));

    // When the chart is rendered again (helm upgrade)
    Secret upgraded = Charts.one(Charts.render(Charts.CONTROL_PLANE, ""), Secret.class, "agentgateway-snapshot-key");

    // Then Helm looked the Secret up and kept its key
    assertThat(Charts.api().requests()).contains("GET /api/v1/namespaces/agentgateway-system/secrets/agentgateway-snapshot-key");
    assertThat(upgraded.getData()).isEqualTo(installed.getData());
  }

  @Test
  void shouldGenerateADifferentKeyForEachNewInstallation() {
    // When (no Secret in the cluster either time)
    Secret first = Charts.one(Charts.render(Charts.CONTROL_PLANE, ""), Secret.class, "agentgateway-snapshot-key");
    Secret second = Charts.one(Charts.render(Charts.CONTROL_PLANE, ""), Secret.class, "agentgateway-snapshot-key");

    // Then
    assertThat(first.getData().get("key")).isNotEqualTo(second.getData().get("key"));
  }

  @Test
  void shouldMountAnExistingSnapshotKeySecretInsteadOfGeneratingOne() {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, "snapshotKey: {existingSecret: my-key, key: aes}");

    // Then
    assertThat(Charts.ofType(resources, Secret.class)).isEmpty();
    assertThat(configServiceEnv(resources)).containsEntry("TOLLWAY_SNAPSHOT_KEY_FILE", "/etc/tollway/snapshot-key/aes");
    assertThat(podSpec(resources, Deployment.class).getVolumes()).anySatisfy(volume -> {
      assertThat(volume.getName()).isEqualTo("snapshot-key");
      assertThat(volume.getSecret().getSecretName()).isEqualTo("my-key");
    });
  }

  @Test
  void shouldRunEveryContainerAsNonRootOnAReadOnlyRootFilesystemWithAWritableTmp() {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, "");

    // Then
    for (Class<? extends HasMetadata> workload : List.of(Deployment.class, StatefulSet.class)) {
      PodSpec pod = podSpec(resources, workload);
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      Container container = pod.getContainers().get(0);
      assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
      assertThat(container.getResources().getLimits()).containsKey("memory");
      assertThat(container.getVolumeMounts()).anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
    }
    assertThat(podSpec(resources, StatefulSet.class).getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void shouldProtectBothServicesWithADisruptionBudgetOverTheirOwnPods() {
    // When
    List<HasMetadata> resources = Charts.render(Charts.CONTROL_PLANE, "");

    // Then
    Map<String, Map<String, String>> podLabels = Map.of(
        CONFIG_SERVICE, Charts.one(resources, Deployment.class, CONFIG_SERVICE).getSpec().getTemplate().getMetadata().getLabels(),
        USAGE_STREAMS, Charts.one(resources, StatefulSet.class, USAGE_STREAMS).getSpec().getTemplate().getMetadata().getLabels());
    podLabels.forEach((name, labels) -> {
      PodDisruptionBudget budget = Charts.one(resources, PodDisruptionBudget.class, name);
      assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
      assertThat(labels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
      podLabels.forEach((other, otherLabels) -> {
        if (!other.equals(name)) {
          assertThat(otherLabels).as(name + " budget must not select " + other)
              .doesNotContainEntry("app.kubernetes.io/component", budget.getSpec().getSelector().getMatchLabels().get("app.kubernetes.io/component"));
        }
      });
    });
  }

  static Map<String, String> configServiceEnv(List<HasMetadata> resources) {
    return Charts.env(podSpec(resources, Deployment.class).getContainers().get(0));
  }

  static Map<String, String> usageStreamsEnv(List<HasMetadata> resources) {
    return Charts.env(podSpec(resources, StatefulSet.class).getContainers().get(0));
  }

  static PodSpec podSpec(List<HasMetadata> resources, Class<? extends HasMetadata> workload) {
    HasMetadata found = Charts.ofType(resources, workload).get(0);
    if (found instanceof Deployment deployment) {
      return deployment.getSpec().getTemplate().getSpec();
    }
    return ((StatefulSet) found).getSpec().getTemplate().getSpec();
  }

  private static List<String> volumes(PodSpec pod) {
    return pod.getVolumes().stream().map(Volume::getName).toList();
  }
}
