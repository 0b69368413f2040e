package dev.tollway.edge.provider.vertexai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Vertex AI's errors: Google's {@code {"error": {"code", "message", "status"}}} from the platform, and
 * Anthropic's {@code {"type": "error", "error": {"type", "message"}}} passed through by {@code rawPredict};
 * both carry {@code error.message}. The status decides the reason, as for every provider.
 */
final class VertexErrors {

  private VertexErrors() {}

  static GatewayException decode(int status, @Nullable JsonNode body, @Nullable Duration retryAfter) {
    String message = null;
    if (body != null) {
      JsonNode error = body.get("error");
      message = error != null && error.isObject() ? Fields.text(error, "message") : Fields.text(body, "message");
    }
    return UpstreamErrors.fromStatus("vertexai", status, message, retryAfter);
  }
}
