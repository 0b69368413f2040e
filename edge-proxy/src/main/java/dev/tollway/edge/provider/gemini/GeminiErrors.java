package dev.tollway.edge.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import dev.tollway.schemas.serde.Json;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Gemini's (Google API) error body {@code {"error": {"code", "message", "status"}}}, both ways. Gemini
 * answers an invalid key with 400 and the detail reason {@code API_KEY_INVALID}: that is read as a refused
 * credential, not a bad request.
 */
final class GeminiErrors {

  private GeminiErrors() {}

  static ObjectNode encode(GatewayException error) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.putObject("error")
        .put("code", error.status())
        .put("message", error.getMessage())
        .put("status", status(error.status()));
    return body;
  }

  static String status(int httpStatus) {
    return switch (httpStatus) {
      case 400, 413, 422 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 405, 501 -> "UNIMPLEMENTED";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> httpStatus >= 400 && httpStatus < 500 ? "FAILED_PRECONDITION" : "INTERNAL";
    };
  }

  static GatewayException decode(int status, @Nullable JsonNode body, @Nullable Duration retryAfter) {
    JsonNode error = body == null ? null : body.get("error");
    String message = error == null ? null : Fields.text(error, "message");
    if (error != null && keyInvalid(error)) {
      return UpstreamErrors.fromStatus("gemini", 401, message, retryAfter);
    }
    return UpstreamErrors.fromStatus("gemini", status, message, retryAfter);
  }

  /** An {@code error} object sent inside a stream. */
  static GatewayException streamError(JsonNode error) {
    String status = Fields.text(error, "status");
    String message = "gemini stream error: " + (Fields.text(error, "message") == null ? "no message" : Fields.text(error, "message"));
    ErrorReason reason =
        "RESOURCE_EXHAUSTED".equals(status) ? ErrorReason.UPSTREAM_RATE_LIMITED : ErrorReason.UPSTREAM_ERROR;
    return new GatewayException(reason, message);
  }

  private static boolean keyInvalid(JsonNode error) {
    for (JsonNode detail : error.path("details")) {
      if ("API_KEY_INVALID".equals(Fields.text(detail, "reason"))) {
        return true;
      }
    }
    return false;
  }
}
