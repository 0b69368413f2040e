package dev.tollway.edge.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import dev.tollway.schemas.serde.Json;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Anthropic's error body {@code {"type": "error", "error": {"type", "message"}}}, both ways. */
final class AnthropicErrors {

  private AnthropicErrors() {}

  static ObjectNode encode(GatewayException error) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("type", "error");
    body.putObject("error").put("type", type(error)).put("message", error.getMessage());
    return body;
  }

  static String type(GatewayException error) {
    return switch (error.reason()) {
      case UNAUTHENTICATED -> "authentication_error";
      case FORBIDDEN -> "permission_error";
      case ROUTE_NOT_FOUND -> "not_found_error";
      case REQUEST_TOO_LARGE -> "request_too_large";
      case RATE_LIMITED, QUOTA_EXCEEDED, UPSTREAM_RATE_LIMITED -> "rate_limit_error";
      case UNAVAILABLE, UPSTREAM_UNREACHABLE -> "overloaded_error";
      case INVALID_REQUEST, METHOD_NOT_ALLOWED, NOT_IMPLEMENTED, UPSTREAM_BAD_REQUEST ->
          error.status() == 404 ? "not_found_error" : "invalid_request_error";
      default -> "api_error";
    };
  }

  static GatewayException decode(int status, @Nullable JsonNode body, @Nullable Duration retryAfter) {
    String message = null;
    if (body != null) {
      JsonNode error = body.get("error");
      message = error != null && error.isObject() ? Fields.text(error, "message") : Fields.text(body, "message");
    }
    return UpstreamErrors.fromStatus("anthropic", status, message, retryAfter);
  }

  /** An {@code error} event inside a stream, by its error type. */
  static GatewayException fromType(@Nullable String type, @Nullable String message) {
    String said = "anthropic stream error: " + (message == null ? "no message" : message);
    if (type == null) {
      return new GatewayException(ErrorReason.UPSTREAM_ERROR, said);
    }
    return switch (type) {
      case "rate_limit_error" -> new GatewayException(ErrorReason.UPSTREAM_RATE_LIMITED, said);
      case "invalid_request_error", "not_found_error", "request_too_large" ->
          new GatewayException(ErrorReason.UPSTREAM_BAD_REQUEST, said);
      case "authentication_error", "permission_error" ->
          new GatewayException(ErrorReason.UPSTREAM_UNAUTHORIZED, "anthropic rejected the gateway's credential");
      default -> new GatewayException(ErrorReason.UPSTREAM_ERROR, said); // api_error, overloaded_error
    };
  }
}
