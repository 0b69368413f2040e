package dev.tollway.edge.error;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A failure with a reason code and a message meant for the caller. The message must never contain a secret,
 * a prompt or a completion.
 */
public final class GatewayException extends RuntimeException {

  private final ErrorReason reason;
  private final int status;
  private final @Nullable Duration retryAfter;

  public GatewayException(ErrorReason reason, String message) {
    this(reason, reason.status(), message, null, null);
  }

  public GatewayException(ErrorReason reason, String message, @Nullable Throwable cause) {
    this(reason, reason.status(), message, null, cause);
  }

  /**
   * @param status the HTTP status for the client, when it differs from the reason's default (for example the
   *     provider's own 4xx)
   * @param retryAfter how long the client should wait before retrying, if known
   */
  public GatewayException(
      ErrorReason reason, int status, String message, @Nullable Duration retryAfter, @Nullable Throwable cause) {
    super(requireNonNull(message, "message"), cause, false, cause != null);
    this.reason = requireNonNull(reason, "reason");
    this.status = status;
    this.retryAfter = retryAfter;
  }

  public ErrorReason reason() {
    return reason;
  }

  public int status() {
    return status;
  }

  public @Nullable Duration retryAfter() {
    return retryAfter;
  }
}
