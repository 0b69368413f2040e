package dev.tollway.edge.provider.bedrock;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.provider.EmbeddingsApi;
import dev.tollway.edge.provider.Endpoints;
import dev.tollway.edge.provider.TokenCountApi;
import dev.tollway.edge.provider.ProviderProtocol;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.schemas.snapshot.Provider;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Amazon Bedrock: {@code bedrock-runtime.{region}.amazonaws.com} over TLS (setting {@code region}, default
 * {@code us-east-1}), {@code POST /model/{modelId}/converse} or {@code /converse-stream} (the model id
 * percent-encoded as one segment, so ARNs and {@code :0} versions work); {@code /invoke} for embeddings and
 * {@code /count-tokens} for token counts. A provider {@code host} / {@code port} sends every call there instead
 * (plain HTTP unless {@code tls}), and the signature covers that host.
 *
 * <p>The credential is either AWS keys — the JSON object {@code {"accessKey", "secretKey", "sessionToken"}}
 * — and then each request is signed with SigV4 (service {@code bedrock}) by {@link #authenticate}, or a
 * Bedrock API key, sent as {@code Authorization: Bearer}. A streamed request also asks for
 * {@code Accept: application/vnd.amazon.eventstream}, the framing of ConverseStream.
 */
public final class BedrockProtocol implements ProviderProtocol {

  public static final String DEFAULT_REGION = "us-east-1";
  public static final String SIGNING_SERVICE = "bedrock";
  public static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

  private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,40}");

  private final BedrockChatCodec codec;
  private final Clock clock;

  /** A protocol that signs on the system clock. */
  public BedrockProtocol() {
    this(new BedrockChatCodec(), Clock.systemUTC());
  }

  /** @param clock the time requests are signed at */
  public BedrockProtocol(BedrockChatCodec codec, Clock clock) {
    this.codec = requireNonNull(codec, "codec");
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public Provider.ProviderType type() {
    return Provider.ProviderType.bedrock;
  }

  @Override
  public String otelName() {
    return "aws.bedrock";
  }

  @Override
  public ChatCodec chatCodec() {
    return codec;
  }

  /**
   * @throws GatewayException {@code INVALID_REQUEST} without a model (Bedrock needs it in the path);
   *     {@code BACKEND_UNAVAILABLE} for a region that is not a region name
   */
  @Override
  public UpstreamTarget chatTarget(Provider provider, @Nullable String model, boolean stream) {
    if (model == null || model.isBlank()) {
      throw new GatewayException(
          ErrorReason.INVALID_REQUEST, "model: required (the backend names no model and the request has none)");
    }
    String host = "bedrock-runtime." + region(provider) + ".amazonaws.com";
    String path = "/model/" + pathSegment(model) + (stream ? "/converse-stream" : "/converse");
    return Endpoints.target(provider, host, "", path);
  }

  /**
   * A Bedrock API key as {@code Authorization: Bearer}; nothing for AWS keys, which sign each request in
   * {@link #authenticate} (it needs the body), nor without a credential.
   */
  @Override
  public Map<String, String> headers(@Nullable String credential) {
    if (credential == null || AwsCredentials.isJson(credential)) {
      return Map.of();
    }
    return Map.of("Authorization", "Bearer " + credential.strip());
  }

  /**
   * SigV4 headers for AWS keys ({@code Authorization}, {@code X-Amz-Date}, {@code x-amz-content-sha256},
   * {@code X-Amz-Security-Token}), signed for this method, target (host, port, path) and body at the
   * clock's time; {@code Authorization: Bearer} for an API key; plus {@code Accept} for ConverseStream.
   * Signing is CPU only, so the stage is complete when returned. A credential that is JSON but not AWS keys
   * fails the stage with {@code BACKEND_UNAVAILABLE}.
   */
  @Override
  public CompletionStage<Map<String, String>> authenticate(
      Provider provider, UpstreamTarget target, String method, byte[] body, @Nullable String credential) {
    requireNonNull(provider, "provider");
    requireNonNull(target, "target");
    requireNonNull(method, "method");
    requireNonNull(body, "body");
    Map<String, String> headers = new LinkedHashMap<>();
    try {
      if (credential != null && AwsCredentials.isJson(credential)) {
        headers.putAll(
            SigV4.sign(method, target, body, AwsCredentials.parse(credential), region(provider), SIGNING_SERVICE, clock));
      } else {
        headers.putAll(headers(credential));
      }
    } catch (GatewayException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (isStream(target)) {
      headers.put("Accept", EVENT_STREAM);
    }
    return CompletableFuture.completedFuture(Map.copyOf(headers));
  }

  /** {@code CountTokens} with the Converse body. */
  @Override
  public Optional<TokenCountApi> tokenCount() {
    return Optional.of(new BedrockTokenCount());
  }

  /**
   * {@code InvokeModel} of Amazon Titan Text (one text per call) and Cohere Embed (96 texts per call)
   * embedding models, each in its own body: see {@link BedrockEmbeddings}.
   */
  @Override
  public Optional<EmbeddingsApi> embeddings() {
    return Optional.of(new BedrockEmbeddings());
  }

  /** The provider's {@code region} setting, else {@code us-east-1}. */
  static String region(Provider provider) {
    String region = provider.settings().get("region");
    if (region == null || region.isBlank()) {
      return DEFAULT_REGION;
    }
    String value = region.strip();
    if (!REGION.matcher(value).matches()) {
      throw new GatewayException(
          ErrorReason.BACKEND_UNAVAILABLE,
          "bedrock: region " + value + " is not a region name (expected lowercase letters, digits and -, such as us-east-1)");
    }
    return value;
  }

  private static boolean isStream(UpstreamTarget target) {
    String path = target.path();
    int query = path.indexOf('?');
    return (query < 0 ? path : path.substring(0, query)).endsWith("/converse-stream");
  }

  /** A model id as one path segment: letters, digits and {@code -._~} kept, anything else percent-encoded. */
  static String pathSegment(String model) {
    StringBuilder out = new StringBuilder(model.length() + 8);
    for (byte b : model.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xFF));
      }
    }
    return out.toString();
  }
}
