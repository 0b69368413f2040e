package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

/** A failed API request: a reason code and a message in the caller's terms. */
public final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ApiError reason;

  public ApiException(ApiError reason, String message) {
    super(requireNonNull(message, "message"), null, false, false);
    this.reason = requireNonNull(reason, "reason");
  }

  public ApiError reason() {
    return reason;
  }
}
