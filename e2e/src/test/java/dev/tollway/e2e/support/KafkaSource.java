package dev.tollway.e2e.support;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Where the {@link KafkaFixture}'s broker comes from, chosen from system properties:
 *
 * <ul>
 *   <li>{@code -Dkafka.bootstrap=host:port}: an {@link #EXTERNAL} broker that is already running;
 *   <li>otherwise, when a Docker engine is reachable: a {@link #TESTCONTAINERS} Kafka container;
 *   <li>otherwise: the {@link #EMBEDDED} in-process broker (the default on machines without Docker).
 * </ul>
 *
 * <p>{@code -Dkafka.fixture=external|docker|embedded} forces one ({@code auto}, the default, chooses as above).
 */
public enum KafkaSource {
  EXTERNAL,
  TESTCONTAINERS,
  EMBEDDED;

  public static final String BOOTSTRAP_PROPERTY = "kafka.bootstrap";
  public static final String MODE_PROPERTY = "kafka.fixture";

  /**
   * Chooses the source.
   *
   * @param dockerAvailable asked only when the choice depends on it
   * @throws IllegalArgumentException naming the property when the properties ask for something impossible
   */
  public static KafkaSource choose(Properties properties, BooleanSupplier dockerAvailable) {
    requireNonNull(properties, "properties");
    requireNonNull(dockerAvailable, "dockerAvailable");
    String bootstrap = bootstrap(properties);
    String mode = properties.getProperty(MODE_PROPERTY, "auto").strip().toLowerCase(Locale.ROOT);
    switch (mode) {
      case "auto":
        if (bootstrap != null) {
          return EXTERNAL;
        }
        return dockerAvailable.getAsBoolean() ? TESTCONTAINERS : EMBEDDED;
      case "external":
        if (bootstrap == null) {
          throw new IllegalArgumentException(
              MODE_PROPERTY + "=external needs " + BOOTSTRAP_PROPERTY + " (expected: -D" + BOOTSTRAP_PROPERTY
                  + "=host:port)");
        }
        return EXTERNAL;
      case "docker":
        if (!dockerAvailable.getAsBoolean()) {
          throw new IllegalArgumentException(
              MODE_PROPERTY + "=docker: no Docker engine is reachable (expected: a running Docker engine, or "
                  + MODE_PROPERTY + "=embedded)");
        }
        return TESTCONTAINERS;
      case "embedded":
        return EMBEDDED;
      default:
        throw new IllegalArgumentException(
            MODE_PROPERTY + ": " + mode + " (expected: auto, external, docker or embedded)");
    }
  }

  /** The external bootstrap address, or {@code null} when none is set. */
  static @Nullable String bootstrap(Properties properties) {
    String bootstrap = properties.getProperty(BOOTSTRAP_PROPERTY);
    return bootstrap == null || bootstrap.isBlank() ? null : bootstrap.strip();
  }
}
