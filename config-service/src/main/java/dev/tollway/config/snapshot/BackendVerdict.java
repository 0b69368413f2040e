package dev.tollway.config.snapshot;

import static java.util.Objects.requireNonNull;

/** Whether a backend can be routed to: a draft, or why not. */
sealed interface BackendVerdict {

  /** The backend compiled. */
  record Usable(BackendDraft draft) implements BackendVerdict {
    public Usable {
      requireNonNull(draft, "draft");
    }
  }

  /**
   * The backend is refused.
   *
   * @param reason the reason code of the backend's {@code Accepted=False} condition
   * @param message what is wrong, naming the field or the Secret
   */
  record Refused(String reason, String message) implements BackendVerdict {
    public Refused {
      requireNonNull(reason, "reason");
      requireNonNull(message, "message");
    }
  }
}
