package dev.tollway.local;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.ConfigService;
import dev.tollway.config.ConfigServiceConfig;
import dev.tollway.config.SnapshotListener;
import dev.tollway.config.publish.KafkaClients;
import dev.tollway.edge.EdgeProxy;
import dev.tollway.edge.EdgeProxyConfig;
import dev.tollway.local.fake.FakeProviderConfig;
import dev.tollway.local.fake.FakeProviderServer;
import dev.tollway.local.kafka.EmbeddedKafka;
import dev.tollway.local.kafka.EmbeddedKafkaConfig;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.topic.TopicInstaller;
import dev.tollway.usage.UsageStreams;
import dev.tollway.usage.UsageStreamsConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three services in one JVM, wired through Kafka exactly as in a cluster: an embedded broker (or a given
 * one), the topics of {@code schemas}, usage-streams, config-service reading a folder (or, with
 * {@code --kubernetes}, the cluster of the current kubeconfig context: status written back, no proxies
 * provisioned, no leader election), and edge-proxy serving every Gateway on the config topic. Closing stops them
 * in reverse order.
 */
public final class LocalStack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
  private static final long TOPIC_TIMEOUT_MILLIS = 60_000;
  /** The prefix of the environment variables handed to usage-streams. */
  private static final String USAGE_SETTINGS = "TOLLWAY_USAGE_";

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final String kafkaBootstrap;
  private final @Nullable EmbeddedKafka kafka;
  private final @Nullable FakeProviderServer fakeProvider;
  private final UsageStreams usageStreams;
  private final ConfigService configService;
  private final EdgeProxy edgeProxy;
  private final @Nullable KubernetesClient kubernetes;

  private LocalStack(LocalOptions options, Map<String, String> environment, Clock clock, SnapshotListener listener,
      Supplier<KubernetesClient> kubernetesClient) {
    try {
      createDirectories(options.dataDir());
      if (options.kafkaBootstrap() == null) {
        kafka = remember(EmbeddedKafka.start(EmbeddedKafkaConfig.persistentIn(options.dataDir().resolve("kafka"))));
        kafkaBootstrap = kafka.bootstrapServers();
      } else {
        kafka = null;
        kafkaBootstrap = options.kafkaBootstrap();
        installTopics(kafkaBootstrap);
      }
      fakeProvider =
          options.fakeProviderPort() == null
              ? null
              : remember(FakeProviderServer.start(FakeProviderConfig.defaults().withPort(options.fakeProviderPort())));
      SnapshotCipher cipher = localCipher(options.dataDir().resolve("snapshot.key"));

      // TOLLWAY_USAGE_* of the environment tune usage-streams as in production (commit interval, time zone, ...);
      // where it listens, its state and its broker are the local stack's
      Map<String, String> usageEnv = new HashMap<>();
      environment.forEach((name, value) -> {
        if (name.startsWith(USAGE_SETTINGS)) {
          usageEnv.put(name, value);
        }
      });
      usageEnv.put("TOLLWAY_KAFKA_BOOTSTRAP", kafkaBootstrap);
      usageEnv.put("TOLLWAY_USAGE_STATE_DIR", options.dataDir().resolve("usage-streams").toString());
      usageEnv.put("TOLLWAY_USAGE_HTTP_HOST", options.bindAddress());
      usageEnv.put("TOLLWAY_USAGE_HTTP_PORT", String.valueOf(options.usagePort()));
      usageStreams = remember(new UsageStreams(UsageStreamsConfig.fromEnv(usageEnv), clock));
      usageStreams.start();

      Map<String, String> edgeEnv = new HashMap<>();
      edgeEnv.put("TOLLWAY_KAFKA_BOOTSTRAP", kafkaBootstrap);
      edgeEnv.put("TOLLWAY_GATEWAY", "*");
      edgeEnv.put("TOLLWAY_BIND_ADDRESS", options.bindAddress());
      edgeEnv.put("TOLLWAY_PORT_MAP", options.portMapSetting());
      edgeEnv.put("TOLLWAY_ADMIN_PORT", String.valueOf(options.adminPort()));
      edgeEnv.put("TOLLWAY_STATE_DIR", options.dataDir().resolve("edge-proxy").toString());
      edgeProxy = remember(new EdgeProxy(EdgeProxyConfig.fromEnv(edgeEnv), cipher, clock));
      edgeProxy.start();

      Map<String, String> configEnv = new HashMap<>();
      configEnv.put(ConfigServiceConfig.KAFKA_BOOTSTRAP, kafkaBootstrap);
      if (options.kubernetes()) {
        kubernetes = remember(kubernetesClient.get());
        configEnv.put(ConfigServiceConfig.CONFIG_SOURCE, "kubernetes");
        configEnv.put("TOLLWAY_PROVISION", "false"); // this JVM is the proxy
        configEnv.put("TOLLWAY_LEADER_ELECTION", "false");
        configEnv.put("TOLLWAY_TOPICS", "none"); // created above
        configService = remember(ConfigService.kubernetes(ConfigServiceConfig.fromEnv(configEnv), cipher, clock,
            kubernetes, KafkaClients.kafka()));
      } else {
        kubernetes = null;
        configEnv.put(ConfigServiceConfig.CONFIG_DIR, String.valueOf(options.configDir()));
        Map<String, String> expansion = new HashMap<>(environment);
        if (fakeProvider != null) {
          expansion.put("TOLLWAY_FAKE_PROVIDER_PORT", String.valueOf(fakeProvider.port()));
        }
        configService = remember(new ConfigService(ConfigServiceConfig.fromEnv(configEnv), cipher, clock, expansion));
      }
      configService.addListener(listener);
      configService.start();
    } catch (RuntimeException | Error e) {
      closeQuietly();
      throw e;
    }
  }

  /**
   * Starts everything. Returns once each service has started; readiness follows asynchronously (see
   * {@link #isReady()}).
   *
   * @param environment the environment: {@code ${NAME}} references in the config folder expand from it, and its
   *     {@code TOLLWAY_USAGE_*} settings configure usage-streams (except its state folder, address and port)
   * @param listener told about every config pass (e.g. to print what was published)
   */
  public static LocalStack start(
      LocalOptions options, Map<String, String> environment, Clock clock, SnapshotListener listener) {
    return start(options, environment, clock, listener, () -> new KubernetesClientBuilder().build());
  }

  /**
   * As {@link #start(LocalOptions, Map, Clock, SnapshotListener)}, with the Kubernetes client of
   * {@code --kubernetes} from {@code kubernetesClient} (called only then; the stack closes the client).
   */
  public static LocalStack start(LocalOptions options, Map<String, String> environment, Clock clock,
      SnapshotListener listener, Supplier<KubernetesClient> kubernetesClient) {
    requireNonNull(options, "options");
    requireNonNull(environment, "environment");
    requireNonNull(clock, "clock");
    requireNonNull(listener, "listener");
    requireNonNull(kubernetesClient, "kubernetesClient");
    return new LocalStack(options, environment, clock, listener, kubernetesClient);
  }

  /** Whether config-service has published, the proxy serves a snapshot and usage-streams runs. */
  public boolean isReady() {
    return configService.isReady() && edgeProxy.isReady() && usageStreams.isReady();
  }

  public String kafkaBootstrap() {
    return kafkaBootstrap;
  }

  public Optional<EmbeddedKafka> embeddedKafka() {
    return Optional.ofNullable(kafka);
  }

  public Optional<FakeProviderServer> fakeProvider() {
    return Optional.ofNullable(fakeProvider);
  }

  /** The Kubernetes client of {@code --kubernetes}. */
  public Optional<KubernetesClient> kubernetes() {
    return Optional.ofNullable(kubernetes);
  }

  public ConfigService configService() {
    return configService;
  }

  public EdgeProxy edgeProxy() {
    return edgeProxy;
  }

  public UsageStreams usageStreams() {
    return usageStreams;
  }

  /** Stops the services in reverse order of their start. Idempotent. */
  @Override
  public void close() {
    closeQuietly();
  }

  private synchronized void closeQuietly() {
    while (!started.isEmpty()) {
      AutoCloseable service = started.pop();
      try {
        service.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", service.getClass().getSimpleName(), e.toString());
      }
    }
  }

  private <T extends AutoCloseable> T remember(T service) {
    started.push(service);
    return service;
  }

  private static void installTopics(String bootstrap) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(props)) {
      new TopicInstaller(admin, (short) 1).installMissing(TOPIC_TIMEOUT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics on " + bootstrap, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka at " + bootstrap + " did not answer within 60 s", e);
    }
  }

  /**
   * The snapshot key of local mode: generated once and kept in the data folder (readable by the owner only),
   * so the proxy's saved snapshot still opens after a restart.
   */
  static SnapshotCipher localCipher(Path keyFile) {
    try {
      if (Files.exists(keyFile)) {
        return SnapshotCipher.fromBase64(Files.readString(keyFile, StandardCharsets.US_ASCII));
      }
      String key = Base64.getEncoder().encodeToString(SnapshotCipher.newKey());
      Path tmp = Files.createTempFile(keyFile.getParent(), "snapshot", ".key");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        LOG.debug("cannot restrict permissions of {} on this file system", keyFile);
      }
      Files.writeString(tmp, key, StandardCharsets.US_ASCII);
      Files.move(tmp, keyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return SnapshotCipher.fromBase64(key);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the local snapshot key " + keyFile, e);
    }
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("--data: cannot create " + dir, e);
    }
  }
}
