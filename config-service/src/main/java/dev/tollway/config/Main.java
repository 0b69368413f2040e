package dev.tollway.config;

import dev.tollway.config.admin.AdminServer;
import dev.tollway.config.admin.ConfigMetrics;
import dev.tollway.config.publish.KafkaClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs config-service alone: reads the configuration from the environment, wires the source it names
 * ({@code TOLLWAY_CONFIG_SOURCE=kubernetes|folder}), starts.
 */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    ConfigServiceConfig config;
    try {
      config = ConfigServiceConfig.fromEnv(env);
      if (config.snapshotKey() == null) {
        throw new IllegalArgumentException(ConfigServiceConfig.SNAPSHOT_KEY + " or "
            + ConfigServiceConfig.SNAPSHOT_KEY_FILE + ": missing (expected: 32 random bytes, base64-encoded)");
      }
    } catch (IllegalArgumentException e) {
      log.error("invalid configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    log.info("config-service configuration: {}", config);
    Clock clock = Clock.systemUTC();
    @Nullable KubernetesClient client = null;
    ConfigService service;
    if (config.source() == ConfigServiceConfig.Source.KUBERNETES) {
      client = new KubernetesClientBuilder().build(); // in-cluster service account, or the kubeconfig's context
      service = ConfigService.kubernetes(config, config.snapshotCipher().orElseThrow(), clock, client,
          KafkaClients.kafka());
    } else {
      service = new ConfigService(config, config.snapshotCipher().orElseThrow(), clock, env);
    }
    KubernetesClient toClose = client;
    ConfigMetrics metrics = ConfigMetrics.create();
    service.addListener(metrics);
    AdminServer admin = AdminServer.start("0.0.0.0", config.adminPort(), service::isLive, service::isReady,
        metrics::scrape);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      service.close();
      admin.close();
      if (toClose != null) {
        toClose.close();
      }
      stopped.countDown();
    }, "tollway-config-shutdown"));
    service.start();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
