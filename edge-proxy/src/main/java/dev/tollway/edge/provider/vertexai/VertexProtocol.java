package dev.tollway.edge.provider.vertexai;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.provider.EmbeddingsApi;
import dev.tollway.edge.provider.Endpoints;
import dev.tollway.edge.provider.TokenCountApi;
import dev.tollway.edge.provider.ProviderProtocol;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.provider.anthropic.AnthropicChatCodec;
import dev.tollway.edge.provider.gemini.GeminiChatCodec;
import dev.tollway.schemas.snapshot.Provider;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Google Vertex AI: settings {@code projectId} (required) and {@code region} (default {@code global}). Host
 * {@code {region}-aiplatform.googleapis.com} over TLS ({@code aiplatform.googleapis.com} for {@code global},
 * {@code aiplatform.{us|eu}.rep.googleapis.com} for the multi-regions), path
 * {@code /v1/projects/{project}/locations/{region}/publishers/{publisher}/models/{model}} and then
 * {@code :generateContent} / {@code :streamGenerateContent?alt=sse} for Gemini models or {@code :rawPredict}
 * / {@code :streamRawPredict} for Claude models.
 *
 * <p>The credential is a service-account JSON key, exchanged for an OAuth2 access token (cached, refreshed
 * in the background — see {@link AccessTokenCache}) and sent as {@code Authorization: Bearer}; a credential
 * that is not JSON is taken as an access token itself (as a client's own token in passthrough mode).
 */
public final class VertexProtocol implements ProviderProtocol {

  public static final String DEFAULT_REGION = "global";

  private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,40}");
  private static final Pattern PROJECT = Pattern.compile("[a-z0-9.:-]{1,100}");

  private final VertexChatCodec codec;
  private final AccessTokenCache tokens;

  /** A protocol with random ids that fetches tokens with Google's auth library. */
  public VertexProtocol() {
    this(new VertexChatCodec(new GeminiChatCodec(), new AnthropicChatCodec()), AccessTokenCache.serviceAccounts(Clock.systemUTC()));
  }

  public VertexProtocol(VertexChatCodec codec, AccessTokenCache tokens) {
    this.codec = requireNonNull(codec, "codec");
    this.tokens = requireNonNull(tokens, "tokens");
  }

  @Override
  public Provider.ProviderType type() {
    return Provider.ProviderType.vertexai;
  }

  @Override
  public String otelName() {
    return "gcp.vertex_ai";
  }

  @Override
  public ChatCodec chatCodec() {
    return codec;
  }

  /**
   * @throws GatewayException {@code INVALID_REQUEST} without a model or for another publisher's model;
   *     {@code BACKEND_UNAVAILABLE} without a {@code projectId}, or with a region or project that is not a name
   */
  @Override
  public UpstreamTarget chatTarget(Provider provider, @Nullable String model, boolean stream) {
    VertexModel vertexModel = VertexModel.of(model);
    String method = vertexModel.isClaude()
        ? (stream ? ":streamRawPredict" : ":rawPredict")
        : (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
    return modelTarget(provider, vertexModel.publisher(), vertexModel.name(), method);
  }

  /** {@code :predict} of a Google text-embedding model (not Claude: Anthropic has no embeddings API). */
  @Override
  public Optional<EmbeddingsApi> embeddings() {
    return Optional.of(new VertexEmbeddings(this));
  }

  /** Gemini's {@code :countTokens}, or Claude's {@code count-tokens:rawPredict}, by the model. */
  @Override
  public Optional<TokenCountApi> tokenCount() {
    return Optional.of(new VertexTokenCount(this));
  }

  /**
   * {@code https://{host}/v1/projects/{project}/locations/{region}/publishers/{publisher}/models/{name}{method}}.
   *
   * @throws GatewayException {@code BACKEND_UNAVAILABLE} without a {@code projectId}, or with a region or
   *     project that is not a name
   */
  UpstreamTarget modelTarget(Provider provider, String publisher, String name, String method) {
    String region = setting(provider, "region", DEFAULT_REGION, REGION, "a region such as us-central1 or global");
    String project = setting(provider, "projectId", null, PROJECT, "a Google Cloud project id");
    String host = switch (region) {
      case "global" -> "aiplatform.googleapis.com";
      case "us", "eu" -> "aiplatform." + region + ".rep.googleapis.com";
      default -> region + "-aiplatform.googleapis.com";
    };
    String rest = "/projects/" + project + "/locations/" + region + "/publishers/" + publisher
        + "/models/" + pathSegment(name) + method;
    return Endpoints.target(provider, host, "/v1", rest);
  }

  /** An access token as {@code Authorization: Bearer}; nothing for a service-account key (see {@link #authenticate}). */
  @Override
  public Map<String, String> headers(@Nullable String credential) {
    if (credential == null || isServiceAccountKey(credential)) {
      return Map.of();
    }
    return Map.of("Authorization", "Bearer " + credential.strip());
  }

  /**
   * {@code Authorization: Bearer} with the service account's access token: at once when a valid one is
   * cached, else when the background refresh finishes (on its thread); a refresh that fails fails the stage
   * with {@code UPSTREAM_UNAUTHORIZED} naming the problem. Never blocks.
   */
  @Override
  public CompletionStage<Map<String, String>> authenticate(
      Provider provider, UpstreamTarget target, String method, byte[] body, @Nullable String credential) {
    if (credential == null || !isServiceAccountKey(credential)) {
      return CompletableFuture.completedFuture(headers(credential));
    }
    return tokens.token(credential).thenApply(token -> Map.of("Authorization", "Bearer " + token));
  }

  private static boolean isServiceAccountKey(String credential) {
    return credential.stripLeading().startsWith("{");
  }

  private static String setting(
      Provider provider, String key, @Nullable String fallback, Pattern pattern, String expected) {
    String value = provider.settings().get(key);
    if (value == null || value.isBlank()) {
      if (fallback == null) {
        throw new GatewayException(
            ErrorReason.BACKEND_UNAVAILABLE, "vertexai: " + key + " is required (expected " + expected + ")");
      }
      return fallback;
    }
    String trimmed = value.strip();
    if (!pattern.matcher(trimmed).matches()) {
      throw new GatewayException(
          ErrorReason.BACKEND_UNAVAILABLE, "vertexai: " + key + " " + trimmed + " is not valid (expected " + expected + ")");
    }
    return trimmed;
  }

  /** A model name as one path segment: letters, digits, {@code -._~@} kept, anything else percent-encoded. */
  private static String pathSegment(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xFF));
      }
    }
    return out.toString();
  }
}
