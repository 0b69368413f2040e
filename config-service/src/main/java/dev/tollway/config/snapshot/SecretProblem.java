package dev.tollway.config.snapshot;

import static java.util.Objects.requireNonNull;

/** A Secret a backend needs is missing or unusable; the message names the Secret and key, never a value. */
final class SecretProblem extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String reason;

  /** @param reason the condition reason, such as {@code SecretNotFound} */
  SecretProblem(String reason, String message) {
    super(message, null, false, false);
    this.reason = requireNonNull(reason, "reason");
  }

  String reason() {
    return reason;
  }
}
