package dev.tollway.local.kafka;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * How to start an {@link EmbeddedKafka} broker.
 *
 * @param dataDir the folder that holds the broker's data, kept across restarts; {@code null} for a temporary
 *     folder that is deleted on close
 * @param brokerPort the client (PLAINTEXT) port on 127.0.0.1; 0 picks a free one
 * @param controllerPort the KRaft controller port on 127.0.0.1; 0 picks a free one
 * @param startupTimeout how long start-up (format, start, readiness, topic creation) may take in total
 * @param brokerOverrides broker properties that replace or add to the defaults of {@link BrokerProperties}
 */
public record EmbeddedKafkaConfig(
    @Nullable Path dataDir,
    int brokerPort,
    int controllerPort,
    Duration startupTimeout,
    Map<String, String> brokerOverrides) {

  /** Generous: a loaded 2-core machine with other builds running can take well over the usual 2 s. */
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(120);

  public EmbeddedKafkaConfig {
    requireNonNull(startupTimeout, "startupTimeout");
    requireNonNull(brokerOverrides, "brokerOverrides");
    checkPort("broker port", brokerPort);
    checkPort("controller port", controllerPort);
    if (brokerPort != 0 && brokerPort == controllerPort) {
      throw new IllegalArgumentException(
          "controller port: " + controllerPort + " (expected: a port other than the broker port)");
    }
    if (startupTimeout.isNegative() || startupTimeout.isZero()) {
      throw new IllegalArgumentException("startup timeout: " + startupTimeout + " (expected: a positive duration)");
    }
    brokerOverrides = Map.copyOf(brokerOverrides);
  }

  /** A broker on free ports whose data lives in a temporary folder deleted on close. */
  public static EmbeddedKafkaConfig temporary() {
    return new EmbeddedKafkaConfig(null, 0, 0, DEFAULT_STARTUP_TIMEOUT, Map.of());
  }

  /** A broker on free ports whose data lives in {@code dataDir} and survives restarts. */
  public static EmbeddedKafkaConfig persistentIn(Path dataDir) {
    requireNonNull(dataDir, "dataDir");
    return new EmbeddedKafkaConfig(dataDir, 0, 0, DEFAULT_STARTUP_TIMEOUT, Map.of());
  }

  public EmbeddedKafkaConfig withBrokerPort(int port) {
    return new EmbeddedKafkaConfig(dataDir, port, controllerPort, startupTimeout, brokerOverrides);
  }

  public EmbeddedKafkaConfig withControllerPort(int port) {
    return new EmbeddedKafkaConfig(dataDir, brokerPort, port, startupTimeout, brokerOverrides);
  }

  public EmbeddedKafkaConfig withStartupTimeout(Duration timeout) {
    return new EmbeddedKafkaConfig(dataDir, brokerPort, controllerPort, timeout, brokerOverrides);
  }

  /** Sets one broker property, for example {@code log.cleaner.backoff.ms}. */
  public EmbeddedKafkaConfig withBrokerProperty(String name, String value) {
    requireNonNull(name, "name");
    requireNonNull(value, "value");
    Map<String, String> overrides = new TreeMap<>(brokerOverrides);
    overrides.put(name, value);
    return new EmbeddedKafkaConfig(dataDir, brokerPort, controllerPort, startupTimeout, overrides);
  }

  private static void checkPort(String what, int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(what + ": " + port + " (expected: 0 for a free port, or 1-65535)");
    }
  }
}
