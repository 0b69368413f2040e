package dev.tollway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigServiceConfigTest {

  @TempDir
  Path dir;

  private Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("TOLLWAY_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
    env.put("TOLLWAY_CONFIG_DIR", dir.toString());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void shouldApplyDefaults() {
    // When
    ConfigServiceConfig config = ConfigServiceConfig.fromEnv(env());

    // Then
    assertThat(config.gatewayClasses()).containsExactly("agentgateway", "tollway");
    assertThat(config.controllerName()).isEqualTo("tollway.dev/gateway-controller");
    assertThat(config.snapshotKey()).isNull();
    assertThat(config.snapshotCipher()).isEmpty();
    assertThat(config.producerProperties()).containsEntry("enable.idempotence", "true").containsEntry("acks", "all")
        .containsEntry("bootstrap.servers", "127.0.0.1:9092");
  }

  @Test
  void shouldReadTheKeyFromAFileAndPassKafkaSettingsThroughRedactingSecrets() throws IOException {
    // Given
    Path keyFile = Files.writeString(dir.resolve("key"), Manifests.KEY + "\n");

    // When
    ConfigServiceConfig config = ConfigServiceConfig.fromEnv(env(
        "TOLLWAY_SNAPSHOT_KEY_FILE", keyFile.toString(),
        "TOLLWAY_GATEWAY_CLASSES", " llm , tollway ,",
        "TOLLWAY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "TOLLWAY_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"u\" password=\"hunter2\";"));

    // Then
    assertThat(config.snapshotCipher()).get().extracting(c -> c.keyId()).isEqualTo(Manifests.cipher().keyId());
    assertThat(config.gatewayClasses()).containsExactly("llm", "tollway");
    assertThat(config.producerProperties()).containsEntry("security.protocol", "SASL_SSL")
        .containsKey("sasl.jaas.config");
    assertThat(config.toString()).contains("security.protocol=SASL_SSL", "sasl.jaas.config=<redacted>",
        "snapshotKey=<redacted>").doesNotContain("hunter2", Manifests.KEY);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      TOLLWAY_KAFKA_BOOTSTRAP   | ''            | TOLLWAY_KAFKA_BOOTSTRAP: missing (expected: host:port[,host:port...])
      TOLLWAY_KAFKA_BOOTSTRAP   | localhost     | TOLLWAY_KAFKA_BOOTSTRAP: "localhost" (expected: host:port[,host:port...])
      TOLLWAY_CONFIG_DIR        | /no/such/dir  | TOLLWAY_CONFIG_DIR: /no/such/dir (expected: an existing folder)
      TOLLWAY_SNAPSHOT_KEY      | c2hvcnQ=      | TOLLWAY_SNAPSHOT_KEY: not a valid key (expected: 32 random bytes, base64-encoded)
      TOLLWAY_SNAPSHOT_KEY_FILE | /no/key       | TOLLWAY_SNAPSHOT_KEY_FILE: /no/key cannot be read (expected: a file holding the base64 key)
      TOLLWAY_GATEWAY_CLASSES   | ' , '         | TOLLWAY_GATEWAY_CLASSES: "," (expected: a comma-separated list of GatewayClass names)
      TOLLWAY_CONTROLLER_NAME   | nope          | TOLLWAY_CONTROLLER_NAME: "nope" (expected: a domain-prefixed path such as example.com/controller)
      """)
  void shouldNameTheKeyAndWhatWasExpected(String key, String value, String message) {
    assertThatThrownBy(() -> ConfigServiceConfig.fromEnv(env(key, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void shouldRefuseBothKeySettings() {
    assertThatThrownBy(() -> ConfigServiceConfig.fromEnv(env("TOLLWAY_SNAPSHOT_KEY", Manifests.KEY,
        "TOLLWAY_SNAPSHOT_KEY_FILE", "/x")))
        .hasMessage("TOLLWAY_SNAPSHOT_KEY and TOLLWAY_SNAPSHOT_KEY_FILE: both set (expected: one of them)");
  }

  private static Map<String, String> kubernetes(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("TOLLWAY_KAFKA_BOOTSTRAP", "kafka:9092");
    env.put("TOLLWAY_PROXY_IMAGE", "tollway/edge-proxy:0.1.0");
    env.put("HOSTNAME", "config-service-7d9f-abcde");
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void shouldPickTheFolderWhenItIsGivenAndTheKubernetesApiOtherwise() {
    assertThat(ConfigServiceConfig.fromEnv(env()).source()).isEqualTo(ConfigServiceConfig.Source.FOLDER);
    ConfigServiceConfig k8s = ConfigServiceConfig.fromEnv(kubernetes());
    assertThat(k8s.source()).isEqualTo(ConfigServiceConfig.Source.KUBERNETES);
    assertThat(ConfigServiceConfig.fromEnv(env("TOLLWAY_CONFIG_SOURCE", "kubernetes", "TOLLWAY_PROXY_IMAGE", "x:1"))
        .source()).isEqualTo(ConfigServiceConfig.Source.KUBERNETES);
  }

  @Test
  void shouldApplyTheKubernetesDefaults() {
    // When
    ConfigServiceConfig config = ConfigServiceConfig.fromEnv(kubernetes());

    // Then: every namespace, status written, proxies provisioned, a leader elected, topics created
    assertThat(config.configDir()).isNull();
    assertThat(config.watchNamespaces()).isEmpty();
    assertThat(config.writeStatus()).isTrue();
    assertThat(config.provisioning().enabled()).isTrue();
    assertThat(config.provisioning().serviceType()).isEqualTo("LoadBalancer");
    assertThat(config.provisioning().kafkaBootstrap()).isEqualTo("kafka:9092");
    assertThat(config.leaderElection().enabled()).isTrue();
    assertThat(config.leaderElection().identity()).isEqualTo("config-service-7d9f-abcde");
    assertThat(config.leaderElection().leaseName()).isEqualTo("tollway-config-service");
    assertThat(config.topics().creates()).isTrue();
    assertThat(config.topics().replicationFactor()).isEqualTo((short) 3);
    // and the folder source keeps its behaviour: nothing of the above
    ConfigServiceConfig folder = ConfigServiceConfig.fromEnv(env());
    assertThat(folder.provisioning().enabled()).isFalse();
    assertThat(folder.leaderElection().enabled()).isFalse();
    assertThat(folder.topics().creates()).isFalse();
  }

  @Test
  void shouldGiveTheProxiesTheirOwnKafkaSettingsOrConfigServicesOwn() {
    // Given config-service's own SASL settings
    String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"cs\" password=\"pw\";";
    ConfigServiceConfig inherited = ConfigServiceConfig.fromEnv(kubernetes(
        "TOLLWAY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "TOLLWAY_KAFKA_SASL_JAAS_CONFIG", jaas));

    // Then without proxy settings the proxies get the same, and with them only theirs
    assertThat(inherited.provisioning().kafkaProperties()).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.jaas.config", jaas);
    ConfigServiceConfig own = ConfigServiceConfig.fromEnv(kubernetes(
        "TOLLWAY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "TOLLWAY_KAFKA_SASL_JAAS_CONFIG", jaas,
        "TOLLWAY_PROXY_KAFKA_SECURITY_PROTOCOL", "SSL", "TOLLWAY_PROXY_KAFKA_BOOTSTRAP", "kafka-tls:9093"));
    assertThat(own.provisioning().kafkaProperties()).containsExactly(Map.entry("security.protocol", "SSL"));
    assertThat(own.provisioning().kafkaBootstrap()).isEqualTo("kafka-tls:9093");
    assertThat(inherited.toString()).doesNotContain("pw");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      TOLLWAY_CONFIG_SOURCE             | git    | TOLLWAY_CONFIG_SOURCE: "git" (expected: kubernetes or folder)
      TOLLWAY_PROXY_IMAGE               | ''     | TOLLWAY_PROXY_IMAGE: missing (expected: the edge-proxy image, such as registry.example.com/tollway/edge-proxy:0.1.0; or TOLLWAY_PROVISION=false)
      TOLLWAY_PROXY_SERVICE_TYPE        | Magic  | TOLLWAY_PROXY_SERVICE_TYPE: "Magic" (expected: LoadBalancer, ClusterIP or NodePort)
      TOLLWAY_PROXY_REPLICAS            | -1     | TOLLWAY_PROXY_REPLICAS: "-1" (expected: an integer from 0 to 1000)
      TOLLWAY_WATCH_NAMESPACES          | a,B_c  | TOLLWAY_WATCH_NAMESPACES: "a,B_c" (expected: a comma-separated list of namespace names)
      TOLLWAY_RESYNC_PERIOD             | 100ms  | TOLLWAY_RESYNC_PERIOD: "PT0.1S" (expected: at least 1s)
      TOLLWAY_LEADER_ELECTION           | maybe  | TOLLWAY_LEADER_ELECTION: "maybe" (expected: true or false)
      TOLLWAY_TOPICS                    | auto   | TOLLWAY_TOPICS: "auto" (expected: create, strimzi or none)
      TOLLWAY_TOPIC_REPLICATION         | 0      | TOLLWAY_TOPIC_REPLICATION: "0" (expected: an integer from 1 to 32767)
      """)
  void shouldNameTheKubernetesKeyAndWhatWasExpected(String key, String value, String message) {
    assertThatThrownBy(() -> ConfigServiceConfig.fromEnv(kubernetes(key, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
