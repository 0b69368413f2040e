package dev.tollway.edge.provider.wire;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Turns a provider's HTTP error into a gateway error, the same way for every provider: 429 is
 * {@code UPSTREAM_RATE_LIMITED} with the provider's status and {@code Retry-After}; other 4xx (400, 404, 422,
 * ...) are {@code UPSTREAM_BAD_REQUEST} with the provider's message and status; 401 and 403 are
 * {@code UPSTREAM_UNAUTHORIZED} (the provider's message is not passed on: it may quote the key); 5xx and
 * anything else are {@code UPSTREAM_ERROR}.
 */
public final class UpstreamErrors {

  private static final int MAX_MESSAGE = 2_000;

  private UpstreamErrors() {}

  /**
   * @param provider the provider's name for messages ({@code openai}, {@code anthropic}, {@code gemini})
   * @param message the provider's own message, if it sent one
   */
  public static GatewayException fromStatus(
      String provider, int status, @Nullable String message, @Nullable Duration retryAfter) {
    String said = message == null || message.isBlank() ? "no message" : clip(message);
    if (status == 429) {
      return new GatewayException(
          ErrorReason.UPSTREAM_RATE_LIMITED, 429, provider + " rate limit: " + said, retryAfter, null);
    }
    if (status == 401 || status == 403) {
      return new GatewayException(
          ErrorReason.UPSTREAM_UNAUTHORIZED,
          ErrorReason.UPSTREAM_UNAUTHORIZED.status(),
          provider + " rejected the gateway's credential (" + status + ")",
          null,
          null);
    }
    if (status >= 400 && status < 500) {
      return new GatewayException(ErrorReason.UPSTREAM_BAD_REQUEST, status, said, null, null);
    }
    return new GatewayException(
        ErrorReason.UPSTREAM_ERROR,
        ErrorReason.UPSTREAM_ERROR.status(),
        provider + " error (" + status + "): " + said,
        retryAfter,
        null);
  }

  /** A provider's answer that is not its API. */
  public static GatewayException malformed(String provider, String what) {
    return new GatewayException(ErrorReason.UPSTREAM_ERROR, provider + " answered with " + what);
  }

  private static String clip(String message) {
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "...";
  }
}
