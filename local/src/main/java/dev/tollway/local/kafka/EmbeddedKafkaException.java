package dev.tollway.local.kafka;

import static java.util.Objects.requireNonNull;

/** The embedded broker could not start; the {@link Reason} says why in a word, the message in a sentence. */
public final class EmbeddedKafkaException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why the broker could not start. */
  public enum Reason {
    /** A port given in the configuration is taken, or free ports kept being taken between pick and bind. */
    PORT_IN_USE,
    /** The data folder cannot be created, is not a folder, or is not writable. */
    DATA_FOLDER_UNUSABLE,
    /** Another broker (in this or another process) holds the data folder's lock. */
    DATA_FOLDER_LOCKED,
    /** {@code kafka-storage format} refused the folder or the configuration. */
    FORMAT_FAILED,
    /** The broker failed while starting. */
    STARTUP_FAILED,
    /** The broker did not become ready, or the topics were not created, within the start-up timeout. */
    STARTUP_TIMEOUT,
    /** The broker started but the topics of {@code schemas} could not be created. */
    TOPICS_FAILED
  }

  private final Reason reason;

  EmbeddedKafkaException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = requireNonNull(reason, "reason");
  }

  EmbeddedKafkaException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
