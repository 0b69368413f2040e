package dev.tollway.config;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.leader.LeaderElectionSettings;
import dev.tollway.config.provision.ProvisioningSettings;
import dev.tollway.config.snapshot.SnapshotCompiler;
import dev.tollway.config.topics.TopicSettings;
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
import java.util.Locale;
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
 * @param source {@code TOLLWAY_CONFIG_SOURCE}: {@code kubernetes} (informers on the API of the current
 *     kubeconfig context or the pod's service account) or {@code folder}; default {@code folder} when
 *     {@code TOLLWAY_CONFIG_DIR} is set, else {@code kubernetes}
 * @param configDir {@code TOLLWAY_CONFIG_DIR}: the folder of Kubernetes YAML to read and watch (folder source)
 * @param snapshotKey {@code TOLLWAY_SNAPSHOT_KEY}, or the content of {@code TOLLWAY_SNAPSHOT_KEY_FILE}: the
 *     base64 32-byte key that seals provider credentials; absent when the caller supplies a cipher (local mode)
 * @param gatewayClasses {@code TOLLWAY_GATEWAY_CLASSES}: class names owned when no {@code GatewayClass} says
 *     otherwise (default {@code agentgateway,tollway})
 * @param controllerName {@code TOLLWAY_CONTROLLER_NAME}: the {@code controllerName} of owned
 *     {@code GatewayClass}es (default {@value SnapshotCompiler#DEFAULT_CONTROLLER_NAME})
 * @param kafkaProperties every other {@code TOLLWAY_KAFKA_<NAME>} as the Kafka client property
 *     {@code <name>} (lower case, {@code _} as {@code .}), for TLS and SASL settings: read by the shared
 *     {@link KafkaSettings}, as in every service
 * @param watchNamespaces {@code TOLLWAY_WATCH_NAMESPACES}: the namespaces whose resources are read (comma list;
 *     empty = every namespace); cluster-scoped {@code GatewayClass}es and {@code Namespace}s are always read
 * @param resyncPeriod {@code TOLLWAY_RESYNC_PERIOD}: how often the informers replay their caches, so that a pass
 *     re-checks status and proxies even without changes (default 10m)
 * @param writeStatus {@code TOLLWAY_WRITE_STATUS}: write conditions back to the resources (Kubernetes source;
 *     default on)
 * @param leaderElection {@code TOLLWAY_LEADER_ELECTION*}: see {@link LeaderElectionSettings}
 * @param provisioning {@code TOLLWAY_PROVISION}, {@code TOLLWAY_PROXY_*}: see {@link ProvisioningSettings}
 * @param topics {@code TOLLWAY_TOPICS}, {@code TOLLWAY_TOPIC_REPLICATION}: see {@link TopicSettings}
 * @param adminPort {@code TOLLWAY_ADMIN_PORT}: the port of {@code /healthz}, {@code /readyz} and {@code /metrics}
 *     when config-service runs alone ({@code Main}; default 15022, beside edge-proxy's 15021; 0 picks a free port)
 */
public record ConfigServiceConfig(
    String kafkaBootstrap,
    Source source,
    @Nullable Path configDir,
    @Nullable String snapshotKey,
    SortedSet<String> gatewayClasses,
    String controllerName,
    SortedMap<String, String> kafkaProperties,
    SortedSet<String> watchNamespaces,
    Duration resyncPeriod,
    boolean writeStatus,
    LeaderElectionSettings leaderElection,
    ProvisioningSettings provisioning,
    TopicSettings topics,
    int adminPort) {

  /** Where resources come from. */
  public enum Source {
    /** A watched folder of YAML (local mode). */
    FOLDER,
    /** Informers on the Kubernetes API. */
    KUBERNETES
  }

  public static final String KAFKA_BOOTSTRAP = "TOLLWAY_KAFKA_BOOTSTRAP";
  public static final String CONFIG_SOURCE = "TOLLWAY_CONFIG_SOURCE";
  public static final String CONFIG_DIR = "TOLLWAY_CONFIG_DIR";
  public static final String WATCH_NAMESPACES = "TOLLWAY_WATCH_NAMESPACES";
  public static final String RESYNC_PERIOD = "TOLLWAY_RESYNC_PERIOD";
  public static final String WRITE_STATUS = "TOLLWAY_WRITE_STATUS";
  public static final String ADMIN_PORT = "TOLLWAY_ADMIN_PORT";
  public static final String SNAPSHOT_KEY = "TOLLWAY_SNAPSHOT_KEY";
  public static final String SNAPSHOT_KEY_FILE = "TOLLWAY_SNAPSHOT_KEY_FILE";
  public static final String GATEWAY_CLASSES = "TOLLWAY_GATEWAY_CLASSES";
  public static final String CONTROLLER_NAME = "TOLLWAY_CONTROLLER_NAME";

  /** The admin port when {@code TOLLWAY_ADMIN_PORT} is not set (edge-proxy's is 15021). */
  public static final int DEFAULT_ADMIN_PORT = 15022;

  /** How long a publish waits for acknowledgements, and the start waits to read the topic. */
  public static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

  private static final Pattern CONTROLLER = Pattern.compile("[a-z0-9.-]+/[A-Za-z0-9/._-]+");

  public ConfigServiceConfig {
    requireNonNull(kafkaBootstrap, "kafkaBootstrap");
    requireNonNull(source, "source");
    if (source == Source.FOLDER && configDir == null) {
      throw new IllegalArgumentException("configDir: missing (required by the folder source)");
    }
    gatewayClasses = Collections.unmodifiableSortedSet(new TreeSet<>(gatewayClasses));
    requireNonNull(controllerName, "controllerName");
    kafkaProperties = Collections.unmodifiableSortedMap(new TreeMap<>(kafkaProperties));
    watchNamespaces = Collections.unmodifiableSortedSet(new TreeSet<>(watchNamespaces));
    requireNonNull(resyncPeriod, "resyncPeriod");
    requireNonNull(leaderElection, "leaderElection");
    requireNonNull(provisioning, "provisioning");
    requireNonNull(topics, "topics");
    if (adminPort < 0 || adminPort > 65535) {
      throw new IllegalArgumentException(ADMIN_PORT + ": " + adminPort + " (expected: a port from 0 to 65535)");
    }
  }

  /**
   * Reads and validates the configuration.
   *
   * @throws IllegalArgumentException naming the key and what was expected, such as
   *     {@code TOLLWAY_KAFKA_BOOTSTRAP: missing (expected: host:port[,host:port...])}
   */
  public static ConfigServiceConfig fromEnv(Map<String, String> env) {
    requireNonNull(env, "env");
    KafkaSettings kafkaSettings = KafkaSettings.fromEnv(env);
    String bootstrap = kafkaSettings.bootstrapServers();
    Optional<String> dir = value(env, CONFIG_DIR);
    Source source = value(env, CONFIG_SOURCE).map(value -> switch (value.toLowerCase(Locale.ROOT)) {
      case "kubernetes" -> Source.KUBERNETES;
      case "folder" -> Source.FOLDER;
      default -> throw EnvValues.invalid(CONFIG_SOURCE, value, "kubernetes or folder");
    }).orElse(dir.isPresent() ? Source.FOLDER : Source.KUBERNETES);
    Path configDir = null;
    if (source == Source.FOLDER) {
      configDir = Path.of(dir.orElseThrow(() -> new IllegalArgumentException(
          CONFIG_DIR + ": missing (expected: a folder of Kubernetes YAML, as " + CONFIG_SOURCE + " is folder)")));
      if (!Files.isDirectory(configDir)) {
        throw new IllegalArgumentException(CONFIG_DIR + ": " + dir.get() + " (expected: an existing folder)");
      }
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
    boolean kubernetes = source == Source.KUBERNETES;
    SortedMap<String, String> kafka = kafkaSettings.clientProperties();
    return new ConfigServiceConfig(bootstrap, source, configDir, snapshotKey(env), classes, controller, kafka,
        EnvValues.names(env, WATCH_NAMESPACES),
        resyncPeriod(env),
        EnvValues.bool(env, WRITE_STATUS, kubernetes),
        LeaderElectionSettings.fromEnv(env, kubernetes),
        ProvisioningSettings.fromEnv(env, kubernetes, bootstrap, kafka),
        TopicSettings.fromEnv(env, kubernetes ? TopicSettings.Mode.CREATE : TopicSettings.Mode.NONE),
        EnvValues.integer(env, ADMIN_PORT, DEFAULT_ADMIN_PORT, 0, 65535));
  }

  private static Duration resyncPeriod(Map<String, String> env) {
    Duration resync = EnvValues.duration(env, RESYNC_PERIOD, Duration.ofMinutes(10));
    if (resync.compareTo(Duration.ofSeconds(1)) < 0) {
      throw EnvValues.invalid(RESYNC_PERIOD, resync.toString(), "at least 1s");
    }
    return resync;
  }

  /** The same configuration with other leader election settings. */
  public ConfigServiceConfig withLeaderElection(LeaderElectionSettings settings) {
    return new ConfigServiceConfig(kafkaBootstrap, source, configDir, snapshotKey, gatewayClasses, controllerName,
        kafkaProperties, watchNamespaces, resyncPeriod, writeStatus, settings, provisioning, topics, adminPort);
  }

  /** The same configuration with other provisioning settings. */
  public ConfigServiceConfig withProvisioning(ProvisioningSettings settings) {
    return new ConfigServiceConfig(kafkaBootstrap, source, configDir, snapshotKey, gatewayClasses, controllerName,
        kafkaProperties, watchNamespaces, resyncPeriod, writeStatus, leaderElection, settings, topics, adminPort);
  }

  /** Properties of the Admin client that creates missing topics. */
  public Map<String, Object> adminProperties() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("client.id", "tollway-config-service-admin");
    properties.put("default.api.timeout.ms", String.valueOf(KAFKA_TIMEOUT.toMillis()));
    return kafkaSettings().clientConfig(properties);
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
    return "ConfigServiceConfig[kafkaBootstrap=" + kafkaBootstrap + ", source=" + source
        + (configDir == null ? "" : ", configDir=" + configDir)
        + ", snapshotKey=" + (snapshotKey == null ? "<none: supplied by the caller>" : "<redacted>")
        + ", gatewayClasses=" + gatewayClasses + ", controllerName=" + controllerName
        + ", kafkaProperties=" + kafka
        + (source == Source.KUBERNETES ? ", watchNamespaces=" + (watchNamespaces.isEmpty() ? "all" : watchNamespaces)
            + ", resyncPeriod=" + resyncPeriod + ", writeStatus=" + writeStatus + ", leaderElection=" + leaderElection
            + ", provisioning=" + provisioning : "")
        + ", topics=" + topics + ", adminPort=" + adminPort + "]";
  }
}
