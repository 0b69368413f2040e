package dev.tollway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.config.ConfigServiceConfig;
import dev.tollway.usage.UsageStreamsConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every environment variable the control-plane chart sets is one the service in that container reads. */
class EnvKeysTest {

  /**
   * Keys of config-service's Kubernetes mode (issue 3), which is being built on another branch and is not on
   * this one: the constants of its {@code ConfigServiceConfig}, {@code LeaderElectionSettings},
   * {@code ProvisioningSettings} and {@code TopicSettings}. Once merged, read them from those classes instead.
   */
  static final Set<String> ANNOUNCED_CONFIG_SERVICE_KEYS = Set.of(
      "TOLLWAY_CONFIG_SOURCE", "TOLLWAY_WATCH_NAMESPACES", "TOLLWAY_LEADER_ELECTION", "TOLLWAY_PROXY_IMAGE",
      "TOLLWAY_PROXY_IMAGE_PULL_POLICY", "TOLLWAY_PROXY_REPLICAS", "TOLLWAY_PROXY_SERVICE_TYPE",
      "TOLLWAY_PROXY_KAFKA_BOOTSTRAP", "TOLLWAY_TOPICS", "TOLLWAY_TOPIC_REPLICATION");

  /** config-service gives each provisioned proxy {@code TOLLWAY_PROXY_KAFKA_<NAME>} as its Kafka property. */
  private static final String PROXY_KAFKA_PREFIX = "TOLLWAY_PROXY_KAFKA_";

  /** Read by the JVM itself. */
  static final Set<String> JVM_KEYS = Set.of("JAVA_TOOL_OPTIONS");

  private static final String KAFKA_PREFIX = "TOLLWAY_KAFKA_";

  @TempDir Path configDir;

  static Stream<String> values() {
    return Stream.of(
        "",
        ControlPlaneChartTest.PLAIN_KAFKA,
        """
        controller: {watchNamespaces: [team-a]}
        proxy: {kafkaBootstrap: "kafka.example:9093", replicas: 2, serviceType: ClusterIP, image: {pullPolicy: Always}}
        usageStreams: {retention: 14d, grace: 2m, commitInterval: 250ms, streamThreads: 2}
        kafka:
          tls: {enabled: true, caSecret: {name: kafka-ca, key: truststore.jks, type: JKS, passwordKey: password, pemKey: ca.crt}}
          sasl: {enabled: true, mechanism: SCRAM-SHA-256}
          properties: {client.dns.lookup: use_all_dns_ips, ssl.endpoint.identification.algorithm: https}
        """);
  }

  @ParameterizedTest
  @MethodSource("values")
  void shouldSetOnlyKeysConfigServiceReads(String values) {
    // Given
    Set<String> read = union(constants(ConfigServiceConfig.class), ANNOUNCED_CONFIG_SERVICE_KEYS, JVM_KEYS);
    Set<String> clientProperties = union(ProducerConfig.configNames(), ConsumerConfig.configNames(),
        AdminClientConfig.configNames());

    // When
    Map<String, String> env = ControlPlaneChartTest.configServiceEnv(rendered(values));

    // Then
    assertThat(env.keySet()).allSatisfy(key -> {
      if (key.startsWith(PROXY_KAFKA_PREFIX) && !read.contains(key)) {
        assertThat(clientProperties).as(key + " is passed to the proxies' Kafka clients as a property they know")
            .contains(property(KAFKA_PREFIX + key.substring(PROXY_KAFKA_PREFIX.length())));
      } else {
        assertRead(key, read, clientProperties);
      }
    });
    assertThat(env.get("TOLLWAY_TOPICS")).as("the topic modes config-service knows").isIn("create", "strimzi", "none");
  }

  @ParameterizedTest
  @MethodSource("values")
  void shouldSetOnlyKeysUsageStreamsReads(String values) {
    // Given
    Set<String> read = union(constants(UsageStreamsConfig.class), JVM_KEYS);
    Set<String> clientProperties = union(StreamsConfig.configDef().names(), ProducerConfig.configNames(),
        ConsumerConfig.configNames(), AdminClientConfig.configNames());

    // When
    Map<String, String> env = ControlPlaneChartTest.usageStreamsEnv(rendered(values));

    // Then
    assertThat(env.keySet()).allSatisfy(key -> assertRead(key, read, clientProperties));
  }

  @ParameterizedTest
  @MethodSource("values")
  void shouldGiveUsageStreamsAConfigurationItAccepts(String values) {
    // Given the rendered environment, with the Secret's JAAS configuration filled in
    Map<String, String> env = withSecrets(ControlPlaneChartTest.usageStreamsEnv(rendered(values)));

    // When
    UsageStreamsConfig config = UsageStreamsConfig.fromEnv(env);

    // Then
    assertThat(config.httpPort()).isEqualTo(8090);
    assertThat(config.applicationId()).isEqualTo("tollway-usage-streams");
    assertThat(config.kafkaProperties()).isEqualTo(expectedClientProperties(env));
  }

  @ParameterizedTest
  @MethodSource("values")
  void shouldGiveConfigServiceKafkaSettingsItReadsAsTheRightClientProperties(String values) throws IOException {
    // Given the rendered Kafka settings and key file (the folder source stands in for the Kubernetes one, which
    // is not on this branch)
    Map<String, String> rendered = ControlPlaneChartTest.configServiceEnv(rendered(values));
    Map<String, String> env = new HashMap<>();
    rendered.forEach((key, value) -> {
      if (key.startsWith(KAFKA_PREFIX)) {
        env.put(key, value);
      }
    });
    Path keyFile = Files.writeString(configDir.resolve("key"), java.util.Base64.getEncoder().encodeToString(dev.tollway.schemas.crypto.SnapshotCipher.newKey()));
    env.put(ConfigServiceConfig.SNAPSHOT_KEY_FILE, keyFile.toString());
    env.put(ConfigServiceConfig.CONFIG_DIR, configDir.toString());
    env.put(ConfigServiceConfig.CONTROLLER_NAME, rendered.get(ConfigServiceConfig.CONTROLLER_NAME));
    env.put(ConfigServiceConfig.GATEWAY_CLASSES, rendered.get(ConfigServiceConfig.GATEWAY_CLASSES));

    // When
    ConfigServiceConfig config = ConfigServiceConfig.fromEnv(withSecrets(env));

    // Then
    assertThat(config.kafkaBootstrap()).isEqualTo(rendered.get("TOLLWAY_KAFKA_BOOTSTRAP"));
    assertThat(config.kafkaProperties()).isEqualTo(expectedClientProperties(withSecrets(env)));
    assertThat(config.controllerName()).isEqualTo("tollway.dev/gateway-controller");
    assertThat(config.gatewayClasses()).containsExactly("agentgateway");
  }

  private static final Map<String, List<HasMetadata>> RENDERED = new java.util.concurrent.ConcurrentHashMap<>();

  /** Each set of values is rendered once for the four checks. */
  private static List<HasMetadata> rendered(String values) {
    return RENDERED.computeIfAbsent(values, v -> Charts.render(Charts.CONTROL_PLANE, v));
  }

  private static void assertRead(String key, Set<String> read, Set<String> clientProperties) {
    if (key.startsWith(KAFKA_PREFIX) && !read.contains(key)) {
      assertThat(clientProperties).as(key + " is passed to the Kafka clients as a property they know")
          .contains(property(key));
    } else {
      assertThat(read).as(key + " is read by the service").contains(key);
    }
  }

  /** {@code TOLLWAY_KAFKA_SASL_JAAS_CONFIG} → {@code sasl.jaas.config}, as the services map it. */
  private static String property(String key) {
    return key.substring(KAFKA_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
  }

  private static Map<String, String> expectedClientProperties(Map<String, String> env) {
    Map<String, String> expected = new TreeMap<>();
    env.forEach((key, value) -> {
      if (key.startsWith(KAFKA_PREFIX) && !key.equals("TOLLWAY_KAFKA_BOOTSTRAP")) {
        expected.put(property(key), value);
      }
    });
    return expected;
  }

  private static Map<String, String> withSecrets(Map<String, String> env) {
    Map<String, String> filled = new HashMap<>(env);
    filled.replaceAll((key, value) -> value.startsWith("<from secret ")
        ? "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";"
        : value);
    return filled;
  }

  /** The values of the public static String constants that name environment variables. */
  static Set<String> constants(Class<?> type) {
    Set<String> keys = new TreeSet<>();
    for (Field field : type.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        try {
          String value = (String) field.get(null);
          if (value.startsWith("TOLLWAY_")) {
            keys.add(value);
          }
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    return keys;
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> all = new TreeSet<>();
    for (Set<String> set : sets) {
      all.addAll(set);
    }
    return all;
  }
}
