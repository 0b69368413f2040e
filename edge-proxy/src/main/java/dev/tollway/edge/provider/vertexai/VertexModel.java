package dev.tollway.edge.provider.vertexai;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A model on Vertex AI and the publisher that serves it. Names may carry the publisher
 * ({@code google/gemini-2.5-flash}, {@code anthropic/claude-sonnet-4@20250514},
 * {@code publishers/google/models/gemini-2.5-flash}); without one, {@code claude*} models are Anthropic's and
 * everything else Google's.
 *
 * @param publisher {@code google} or {@code anthropic}
 * @param name the model's name within its publisher
 */
record VertexModel(String publisher, String name) {

  static final String GOOGLE = "google";
  static final String ANTHROPIC = "anthropic";

  VertexModel {
    requireNonNull(publisher, "publisher");
    requireNonNull(name, "name");
  }

  /**
   * @throws GatewayException {@code INVALID_REQUEST} without a model, or for a publisher whose models
   *     Tollway does not serve on Vertex AI
   */
  static VertexModel of(@Nullable String model) {
    if (model == null || model.isBlank()) {
      throw new GatewayException(
          ErrorReason.INVALID_REQUEST, "model: required (the backend names no model and the request has none)");
    }
    String value = model.strip();
    String publisher = null;
    String name = value;
    if (value.startsWith("publishers/")) {
      String[] parts = value.split("/");
      if (parts.length == 4 && parts[2].equals("models")) {
        publisher = parts[1];
        name = parts[3];
      }
    } else {
      int slash = value.indexOf('/');
      if (slash > 0) {
        publisher = value.substring(0, slash);
        name = value.substring(slash + 1);
      }
    }
    if (name.isEmpty() || name.contains("/")) {
      throw new GatewayException(ErrorReason.INVALID_REQUEST, "model " + value + ": not a Vertex AI model name");
    }
    if (publisher == null) {
      publisher = name.toLowerCase(Locale.ROOT).startsWith("claude") ? ANTHROPIC : GOOGLE;
    }
    if (!publisher.equals(GOOGLE) && !publisher.equals(ANTHROPIC)) {
      throw new GatewayException(
          ErrorReason.INVALID_REQUEST,
          "model " + value + ": Tollway serves Google (Gemini) and Anthropic (Claude) models on Vertex AI, not " + publisher);
    }
    return new VertexModel(publisher, name);
  }

  /** Whether a request for this model is Anthropic's Messages API ({@code rawPredict}). */
  boolean isClaude() {
    return publisher.equals(ANTHROPIC);
  }
}
