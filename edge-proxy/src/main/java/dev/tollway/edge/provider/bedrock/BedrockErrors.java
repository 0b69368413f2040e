package dev.tollway.edge.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Bedrock's errors: an HTTP error carries {@code {"message": ...}} and names its type in the
 * {@code x-amzn-errortype} header ({@code ThrottlingException:http://...}) or, in some answers, in the body
 * ({@code __type}, {@code code}); a stream carries exception messages ({@code :message-type: exception},
 * {@code :exception-type: throttlingException}). The type decides the reason where it says more than the
 * status: throttling, a model not ready and an exceeded quota are rate limits (429); access, signature and
 * token problems a refused credential (the provider's message is not passed on); validation and a missing
 * model a bad request; a model timeout {@code UPSTREAM_TIMEOUT}; anything else follows the status.
 */
final class BedrockErrors {

  private BedrockErrors() {}

  static GatewayException decode(
      int status, @Nullable JsonNode body, @Nullable Duration retryAfter, @Nullable String errorTypeHeader) {
    String type = errorTypeHeader != null ? typeName(errorTypeHeader) : null;
    if (type == null && body != null) {
      String fromBody = Fields.text(body, "__type");
      if (fromBody == null) {
        fromBody = Fields.text(body, "code");
      }
      type = fromBody == null ? null : typeName(fromBody);
    }
    String message = null;
    if (body != null) {
      message = Fields.text(body, "message");
      if (message == null) {
        message = Fields.text(body, "Message");
      }
    }
    return fromType(type, status, message, retryAfter);
  }

  /** An exception message inside a ConverseStream. */
  static GatewayException stream(@Nullable String exceptionType, @Nullable String message) {
    String type = exceptionType == null ? null : typeName(exceptionType);
    String said = "bedrock stream error" + (type == null ? "" : " (" + type + ")") + ": " + (message == null ? "no message" : message);
    ErrorReason reason = reasonOf(type);
    if (reason == ErrorReason.UPSTREAM_UNAUTHORIZED) {
      return new GatewayException(reason, "bedrock rejected the gateway's credential");
    }
    return new GatewayException(reason == null ? ErrorReason.UPSTREAM_ERROR : reason, said);
  }

  private static GatewayException fromType(
      @Nullable String type, int status, @Nullable String message, @Nullable Duration retryAfter) {
    ErrorReason reason = reasonOf(type);
    if (reason == null) {
      return UpstreamErrors.fromStatus("bedrock", status, message, retryAfter);
    }
    return switch (reason) {
      case UPSTREAM_RATE_LIMITED -> UpstreamErrors.fromStatus("bedrock", 429, message, retryAfter);
      case UPSTREAM_UNAUTHORIZED -> UpstreamErrors.fromStatus("bedrock", 403, message, retryAfter);
      case UPSTREAM_BAD_REQUEST ->
          UpstreamErrors.fromStatus("bedrock", status >= 400 && status < 500 && status != 429 ? status : 400, message, retryAfter);
      case UPSTREAM_TIMEOUT ->
          new GatewayException(
              ErrorReason.UPSTREAM_TIMEOUT,
              ErrorReason.UPSTREAM_TIMEOUT.status(),
              "bedrock model timeout: " + (message == null ? "no message" : message),
              retryAfter,
              null);
      default -> UpstreamErrors.fromStatus("bedrock", status >= 500 ? status : 500, message, retryAfter);
    };
  }

  /** The reason an error type names, or null when the type is unknown (the status decides). */
  private static @Nullable ErrorReason reasonOf(@Nullable String type) {
    if (type == null) {
      return null;
    }
    return switch (type.toLowerCase(java.util.Locale.ROOT)) {
      case "throttlingexception", "modelnotreadyexception", "servicequotaexceededexception", "toomanyrequestsexception" ->
          ErrorReason.UPSTREAM_RATE_LIMITED;
      case "accessdeniedexception", "unrecognizedclientexception", "expiredtokenexception",
          "invalidsignatureexception", "incompletesignatureexception", "missingauthenticationtokenexception" ->
          ErrorReason.UPSTREAM_UNAUTHORIZED;
      case "validationexception", "resourcenotfoundexception" -> ErrorReason.UPSTREAM_BAD_REQUEST;
      case "modeltimeoutexception" -> ErrorReason.UPSTREAM_TIMEOUT;
      case "internalserverexception", "serviceunavailableexception", "modelerrorexception",
          "modelstreamerrorexception" ->
          ErrorReason.UPSTREAM_ERROR;
      default -> null;
    };
  }

  /** {@code ThrottlingException:http://internal...} and {@code com.amazon.coral#ThrottlingException} → the name. */
  static String typeName(String raw) {
    String type = raw.strip();
    int colon = type.indexOf(':');
    if (colon >= 0) {
      type = type.substring(0, colon);
    }
    int hash = type.lastIndexOf('#');
    if (hash >= 0) {
      type = type.substring(hash + 1);
    }
    return type;
  }
}
