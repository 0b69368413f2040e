package dev.tollway.config.topics;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.EnvValues;
import java.util.Locale;
import java.util.Map;

/**
 * Who creates the topics of {@code schemas/}.
 *
 * @param mode {@code TOLLWAY_TOPICS}: {@code create} (config-service creates the missing ones through the Admin
 *     API at start), {@code strimzi} (the deployment declares them as {@code KafkaTopic}s: nothing is created) or
 *     {@code none} (someone else creates them)
 * @param replicationFactor {@code TOLLWAY_TOPIC_REPLICATION}: replicas of each created topic (default 3)
 */
public record TopicSettings(Mode mode, short replicationFactor) {

  public static final String MODE = "TOLLWAY_TOPICS";
  public static final String REPLICATION = "TOLLWAY_TOPIC_REPLICATION";

  /** Who creates the topics. */
  public enum Mode {
    CREATE,
    STRIMZI,
    NONE
  }

  public TopicSettings {
    requireNonNull(mode, "mode");
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("replicationFactor: " + replicationFactor + " (expected: 1 or more)");
    }
  }

  /** Whether config-service creates missing topics. */
  public boolean creates() {
    return mode == Mode.CREATE;
  }

  /**
   * Reads the settings.
   *
   * @param defaultMode the mode when {@value #MODE} is unset
   */
  public static TopicSettings fromEnv(Map<String, String> env, Mode defaultMode) {
    Mode mode = EnvValues.value(env, MODE).map(value -> switch (value.toLowerCase(Locale.ROOT)) {
      case "create" -> Mode.CREATE;
      case "strimzi" -> Mode.STRIMZI;
      case "none" -> Mode.NONE;
      default -> throw EnvValues.invalid(MODE, value, "create, strimzi or none");
    }).orElse(defaultMode);
    int replication = EnvValues.integer(env, REPLICATION, 3, 1, Short.MAX_VALUE);
    return new TopicSettings(mode, (short) replication);
  }
}
