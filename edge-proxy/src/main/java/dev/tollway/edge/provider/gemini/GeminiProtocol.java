package dev.tollway.edge.provider.gemini;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.provider.EmbeddingsApi;
import dev.tollway.edge.provider.Endpoints;
import dev.tollway.edge.provider.ModelListApi;
import dev.tollway.edge.provider.TokenCountApi;
import dev.tollway.edge.provider.ProviderProtocol;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.schemas.snapshot.Provider;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Gemini (Google AI Studio): {@code generativelanguage.googleapis.com} over TLS,
 * {@code /v1beta/models/{model}:generateContent} or {@code :streamGenerateContent?alt=sse}, the key as
 * {@code x-goog-api-key}. Also {@code :batchEmbedContents}, {@code :countTokens} and {@code GET /v1beta/models}.
 */
public final class GeminiProtocol implements ProviderProtocol {

  public static final String DEFAULT_HOST = "generativelanguage.googleapis.com";

  private final GeminiChatCodec codec;

  public GeminiProtocol(GeminiChatCodec codec) {
    this.codec = requireNonNull(codec, "codec");
  }

  @Override
  public Provider.ProviderType type() {
    return Provider.ProviderType.gemini;
  }

  @Override
  public String otelName() {
    return "gcp.gemini";
  }

  @Override
  public ChatCodec chatCodec() {
    return codec;
  }

  /** @throws GatewayException {@code INVALID_REQUEST} when there is no model: Gemini needs it in the path */
  @Override
  public UpstreamTarget chatTarget(Provider provider, @Nullable String model, boolean stream) {
    String method = stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
    return Endpoints.target(provider, DEFAULT_HOST, "/v1beta", modelPath(model) + method);
  }

  /** {@code :batchEmbedContents}; an embeddings answer carries no token counts (the gateway estimates them). */
  @Override
  public Optional<EmbeddingsApi> embeddings() {
    return Optional.of(new GeminiEmbeddings());
  }

  @Override
  public Optional<TokenCountApi> tokenCount() {
    return Optional.of(new GeminiTokenCount());
  }

  @Override
  public Optional<ModelListApi> modelList() {
    return Optional.of(new GeminiModelList());
  }

  /**
   * {@code /models/{model}} for a model named with or without {@code models/}.
   *
   * @throws GatewayException {@code INVALID_REQUEST} when there is no model: Gemini needs it in the path
   */
  static String modelPath(@Nullable String model) {
    if (model == null || model.isBlank()) {
      throw new GatewayException(
          ErrorReason.INVALID_REQUEST, "model: required (the backend names no model and the request has none)");
    }
    String name = model.startsWith("models/") ? model.substring("models/".length()) : model;
    return "/models/" + pathSegment(name);
  }

  /** A model's name without {@code models/}. */
  static String bareName(String model) {
    return model.startsWith("models/") ? model.substring("models/".length()) : model;
  }

  @Override
  public Map<String, String> headers(@Nullable String credential) {
    return credential == null ? Map.of() : Map.of("x-goog-api-key", credential);
  }

  /** A model name as one path segment: letters, digits, {@code .-_} kept, anything else percent-encoded. */
  private static String pathSegment(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (byte b : name.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xFF));
      }
    }
    return out.toString();
  }
}
