package dev.tollway.edge.provider;

import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.schemas.snapshot.Provider;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/** How to call one provider's chat API: the codec of its format, its endpoint and its authentication. */
public interface ProviderProtocol {

  /** The provider type of the snapshot this protocol serves. */
  Provider.ProviderType type();

  /** The OpenTelemetry {@code gen_ai.provider.name}: {@code openai}, {@code anthropic}, {@code gcp.gemini}. */
  String otelName();

  /** The codec of the provider's chat format. */
  ChatCodec chatCodec();

  /**
   * Where a chat request goes. Applies the provider's {@code host} / {@code port} overrides (plain HTTP
   * unless {@link Provider#tls()}), {@code path} (replaces the whole path) and {@code pathPrefix} (replaces
   * the default base such as {@code /v1}); otherwise the provider's default host over TLS on 443.
   *
   * @param model the model sent to the provider (Gemini puts it in the path)
   * @param stream whether the answer is streamed (Gemini uses another method)
   */
  UpstreamTarget chatTarget(Provider provider, @Nullable String model, boolean stream);

  /**
   * The codec of the chat API the provider is called with for a client of {@code clientFormat}: the
   * provider's own chat codec, unless it also speaks the client's API natively (OpenAI and Azure OpenAI
   * serve the Responses API as it is).
   */
  default ChatCodec chatCodec(ChatFormat clientFormat) {
    return chatCodec();
  }

  /** Where a chat request of a client of {@code clientFormat} goes; see {@link #chatCodec(ChatFormat)}. */
  default UpstreamTarget chatTarget(
      Provider provider, ChatFormat clientFormat, @Nullable String model, boolean stream) {
    return chatTarget(provider, model, stream);
  }

  /** The provider's embeddings API; empty when it has none Tollway can call. */
  default Optional<EmbeddingsApi> embeddings() {
    return Optional.empty();
  }

  /** The provider's list of models; empty when Tollway cannot fetch it. */
  default Optional<ModelListApi> modelList() {
    return Optional.empty();
  }

  /** The provider's own token counting API; empty when it has none (the gateway then estimates). */
  default Optional<TokenCountApi> tokenCount() {
    return Optional.empty();
  }

  /**
   * The headers that carry the credential and any version the provider requires: OpenAI
   * {@code Authorization: Bearer}, Anthropic {@code x-api-key} and {@code anthropic-version}, Gemini
   * {@code x-goog-api-key}.
   *
   * @param credential the provider key, or null when the backend has none
   */
  Map<String, String> headers(@Nullable String credential);

  /**
   * Headers that authenticate one request, once its target and body are known. Called on an IO thread: must
   * not block — a protocol that needs I/O (token refresh) does it elsewhere and completes the stage later.
   * By default, {@link #headers(String)}. Bedrock signs the request (SigV4: the headers hold for exactly this
   * method, target and body); Vertex AI fetches and caches an OAuth access token. A stage that fails does so
   * with a {@link dev.tollway.edge.error.GatewayException}.
   *
   * @param method the HTTP method, such as {@code POST}
   * @param body the request body exactly as it will be sent
   * @param credential the opened secret (see each protocol), or null when the backend has none
   */
  default CompletionStage<Map<String, String>> authenticate(
      Provider provider, UpstreamTarget target, String method, byte[] body, @Nullable String credential) {
    return CompletableFuture.completedFuture(headers(credential));
  }
}
