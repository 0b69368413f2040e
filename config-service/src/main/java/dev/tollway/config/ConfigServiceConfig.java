package dev.tollway.config;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.snapshot.SnapshotCompiler;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.kafka.KafkaSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The configuration of config-service, from environment variables.
 *
 * @param kafkaBootstrap {@code TOLLWAY_KAFKA_BOOTSTRAP}: Kafka bootstrap servers, {@code host:port[,...]}
 * @param configDir {@code TOLLWAY_CONFIG_DIR}: the folder of Kubernetes YAML to read and watch
 * @param snapshotKey {@code TOLLWAY_SNAPSHOT_KEY}, or the content of {@code TOLLWAY_SNAPSHOT_KEY_FILE}: the
 *     base64 32-byte key that seals provider credentials; absent when the caller supplies a cipher (local mode)
 * @param gatewayClasses {@code TOLLWAY_GATEWAY_CLASSES}: class names owned when no {@code GatewayClass} says
 *     otherwise (default {@code agentgateway,tollway})
 * @param controllerName {@code TOLLWAY_CONTROLLER_NAME}: the {@code controllerName} of owned
 *     {@code GatewayClass}es (default {@value SnapshotCompiler#DEFAULT_CONTROLLER_NAME})
 * @param kafkaProperties every other {@code TOLLWAY_KAFKA_<NAME>} as the Kafka client property
 *     {@code <name>} (lower case, {@code _} as {@code .}), for TLS and SASL settings: read by the shared
 *     {@link KafkaSettings}, as in every service
 */
public record ConfigServiceConfig(
    String kafkaBootstrap,
    Path configDir,
    @Nullable String snapshotKey,
    SortedSet<String> gatewayClasses,
    String controllerName,
    SortedMap<String, String> kafkaProperties) {

  public static final String KAFKA_BOOTSTRAP = "TOLLWAY_KAFKA_BOOTSTRAP";
  public static final String CONFIG_DIR = "TOLLWAY_CONFIG_DIR";
  public static final String SNAPSHOT_KEY = "TOLLWAY_SNAPSHOT_KEY";
  public static final String SNAPSHOT_KEY_FILE = "TOLLWAY_SNAPSHOT_KEY_FILE";
  public static final String GATEWAY_CLASSES = "TOLLWAY_GATEWAY_CLASSES";
  public static final String CONTROLLER_NAME = "TOLLWAY_CONTROLLER_NAME";

  /** How long a publish waits for acknowledgements, and the start waits to read the topic. */
  static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

  private static final Pattern CONTROLLER = Pattern.compile("[a-z0-9.-]+/[A-Za-z0-9/._-]+");

  public ConfigServiceConfig {
    requireNonNull(kafkaBootstrap, "kafkaBootstrap");
    requireNonNull(configDir, "configDir");
    gatewayClasses = Collections.unmodifiableSortedSet(new TreeSet<>(gatewayClasses));
    requireNonNull(controllerName, "controllerName");
    kafkaProperties = Collections.unmodifiableSortedMap(new TreeMap<>(kafkaProperties));
  }

  /**
   * Reads and validates the configuration.
   *
   * @throws IllegalArgumentException naming the key and what was expected, such as
   *     {@code TOLLWAY_KAFKA_BOOTSTRAP: missing (expected: host:port[,host:port...])}
   */
  public static ConfigServiceConfig fromEnv(Map<String, String> env) {
    requireNonNull(env, "env");
    KafkaSettings kafka = KafkaSettings.fromEnv(env);
    String dir = value(env, CONFIG_DIR).orElseThrow(() -> new IllegalArgumentException(CONFIG_DIR
        + ": missing (expected: a folder of Kubernetes YAML; the Kubernetes API source is not available yet)"));
    Path configDir = Path.of(dir);
    if (!Files.isDirectory(configDir)) {
      throw new IllegalArgumentException(CONFIG_DIR + ": " + dir + " (expected: an existing folder)");
    }
    SortedSet<String> classes = new TreeSet<>(SnapshotCompiler.DEFAULT_GATEWAY_CLASSES);
    Optional<String> classList = value(env, GATEWAY_CLASSES);
    if (classList.isPresent()) {
      classes = Arrays.stream(classList.get().split(",")).map(String::strip).filter(s -> !s.isEmpty())
          .collect(Collectors.toCollection(TreeSet::new));
      if (classes.isEmpty()) {
        throw new IllegalArgumentException(GATEWAY_CLASSES + ": \"" + classList.get()
            + "\" (expected: a comma-separated list of GatewayClass names)");
      }
    }
    String controller = value(env, CONTROLLER_NAME).orElse(SnapshotCompiler.DEFAULT_CONTROLLER_NAME);
    if (!CONTROLLER.matcher(controller).matches()) {
      throw new IllegalArgumentException(CONTROLLER_NAME + ": \"" + controller
          + "\" (expected: a domain-prefixed path such as example.com/controller)");
    }
    return new ConfigServiceConfig(
        kafka.bootstrapServers(), configDir, snapshotKey(env), classes, controller, kafka.clientProperties());
  }

  private static @Nullable String snapshotKey(Map<String, String> env) {
    Optional<String> inline = value(env, SNAPSHOT_KEY);
    Optional<String> file = value(env, SNAPSHOT_KEY_FILE);
    if (inline.isPresent() && file.isPresent()) {
      throw new IllegalArgumentException(
          SNAPSHOT_KEY + " and " + SNAPSHOT_KEY_FILE + ": both set (expected: one of them)");
    }
    String key;
    String source;
    if (inline.isPresent()) {
      key = inline.get();
      source = SNAPSHOT_KEY;
    } else if (file.isPresent()) {
      source = SNAPSHOT_KEY_FILE;
      try {
        key = Files.readString(Path.of(file.get()), StandardCharsets.US_ASCII).strip();
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(
            SNAPSHOT_KEY_FILE + ": " + file.get() + " cannot be read (expected: a file holding the base64 key)");
      }
    } else {
      return null;
    }
    try {
      SnapshotCipher.fromBase64(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": not a valid key (expected: 32 random bytes, base64-encoded)");
    }
    return key;
  }

  private static Optional<String> value(Map<String, String> env, String key) {
    String value = env.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  /** The cipher for {@link #snapshotKey()}, if a key is configured. */
  public Optional<SnapshotCipher> snapshotCipher() {
    return Optional.ofNullable(snapshotKey).map(SnapshotCipher::fromBase64);
  }

  /** Properties of the snapshot producer: idempotent, {@code acks=all}, large enough for a snapshot. */
  public Map<String, Object> producerProperties() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("client.id", "tollway-config-service");
    properties.put("enable.idempotence", "true");
    properties.put("acks", "all");
    properties.put("max.in.flight.requests.per.connection", "5");
    properties.put("linger.ms", "0");
    properties.put("max.request.size", "8388608");
    properties.put("delivery.timeout.ms", String.valueOf(KAFKA_TIMEOUT.toMillis()));
    properties.put("request.timeout.ms", String.valueOf(KAFKA_TIMEOUT.toMillis() / 2));
    return kafkaSettings().clientConfig(properties);
  }

  /** Properties of the consumer that reads the topic back at start: no group, nothing committed. */
  public Map<String, Object> consumerProperties() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("client.id", "tollway-config-service-reader");
    properties.put("enable.auto.commit", "false");
    properties.put("allow.auto.create.topics", "false");
    properties.put("auto.offset.reset", "earliest");
    properties.put("max.partition.fetch.bytes", "8388608");
    return kafkaSettings().clientConfig(properties);
  }

  /** The Kafka settings shared with the other services ({@code TOLLWAY_KAFKA_*}). */
  public KafkaSettings kafkaSettings() {
    return new KafkaSettings(kafkaBootstrap, kafkaProperties);
  }

  /** The configuration with the snapshot key and secret-looking Kafka properties redacted. */
  @Override
  public String toString() {
    Map<String, String> kafka = new TreeMap<>();
    kafkaProperties.forEach((k, v) -> kafka.put(k, KafkaSettings.isSecret(k) ? "<redacted>" : v));
    return "ConfigServiceConfig[kafkaBootstrap=" + kafkaBootstrap + ", configDir=" + configDir
        + ", snapshotKey=" + (snapshotKey == null ? "<none: supplied by the caller>" : "<redacted>")
        + ", gatewayClasses=" + gatewayClasses + ", controllerName=" + controllerName
        + ", kafkaProperties=" + kafka + "]";
  }
}
