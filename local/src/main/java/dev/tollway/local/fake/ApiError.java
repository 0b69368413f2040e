package dev.tollway.local.fake;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * An error a fake provider answers, in the provider's own terms.
 *
 * @param status the HTTP status
 * @param type the provider's error type ({@code invalid_request_error}, {@code rate_limit_error},
 *     {@code RESOURCE_EXHAUSTED}, ...)
 * @param message the message
 * @param param OpenAI's {@code param}, if any
 * @param code OpenAI's {@code code}, if any
 */
record ApiError(int status, String type, String message, @Nullable String param, @Nullable String code) {

  ApiError {
    requireNonNull(type, "type");
    requireNonNull(message, "message");
  }

  ApiError(int status, String type, String message) {
    this(status, type, message, null, null);
  }

  /** The same error with another message. */
  ApiError withMessage(String message) {
    return new ApiError(status, type, message, param, code);
  }

  /** Thrown while reading a request that the provider refuses. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ApiError error;

    Refused(ApiError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }

    ApiError error() {
      return error;
    }
  }
}
