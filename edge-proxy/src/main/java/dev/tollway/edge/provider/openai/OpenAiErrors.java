package dev.tollway.edge.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import dev.tollway.schemas.serde.Json;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** OpenAI's error body {@code {"error": {"message", "type", "param", "code"}}}, both ways. */
final class OpenAiErrors {

  /** A message of the form {@code "messages[1].role: ..."} names the offending field. */
  private static final Pattern FIELD = Pattern.compile("^([A-Za-z_][A-Za-z0-9_.\\[\\]]*): ");

  private OpenAiErrors() {}

  static ObjectNode encode(GatewayException error) {
    ObjectNode body = Json.mapper().createObjectNode();
    ObjectNode inner = body.putObject("error");
    inner.put("message", error.getMessage());
    inner.put("type", type(error));
    String param = null;
    if (error.reason() == ErrorReason.INVALID_REQUEST) {
      Matcher matcher = FIELD.matcher(error.getMessage());
      if (matcher.find()) {
        param = matcher.group(1);
      }
    }
    if (param == null) {
      inner.putNull("param");
    } else {
      inner.put("param", param);
    }
    inner.put("code", error.reason() == ErrorReason.QUOTA_EXCEEDED
        ? "insufficient_quota"
        : error.reason().name().toLowerCase(Locale.ROOT));
    return body;
  }

  static String type(GatewayException error) {
    return switch (error.reason()) {
      case INVALID_REQUEST, REQUEST_TOO_LARGE, METHOD_NOT_ALLOWED, NOT_IMPLEMENTED, UPSTREAM_BAD_REQUEST ->
          error.status() == 404 ? "not_found_error" : "invalid_request_error";
      case UNAUTHENTICATED -> "authentication_error";
      case FORBIDDEN -> "permission_error";
      case ROUTE_NOT_FOUND -> "not_found_error";
      case RATE_LIMITED, UPSTREAM_RATE_LIMITED -> "rate_limit_error";
      case QUOTA_EXCEEDED -> "insufficient_quota";
      default -> "server_error";
    };
  }

  static GatewayException decode(int status, @Nullable JsonNode body, @Nullable Duration retryAfter) {
    return UpstreamErrors.fromStatus("openai", status, message(body), retryAfter);
  }

  /** An {@code error} object sent inside a stream. */
  static GatewayException decodeStreamError(JsonNode error, @Nullable String message) {
    String type = Fields.text(error, "type");
    String code = Fields.text(error, "code");
    ErrorReason reason =
        "rate_limit_error".equals(type) || "rate_limit_exceeded".equals(code)
            ? ErrorReason.UPSTREAM_RATE_LIMITED
            : ErrorReason.UPSTREAM_ERROR;
    return new GatewayException(reason, "openai stream error: " + (message == null ? "no message" : message));
  }

  private static @Nullable String message(@Nullable JsonNode body) {
    if (body == null) {
      return null;
    }
    JsonNode error = body.get("error");
    if (error != null && error.isObject()) {
      return Fields.text(error, "message");
    }
    if (error != null && error.isTextual()) {
      return error.textValue();
    }
    return Fields.text(body, "message");
  }
}
