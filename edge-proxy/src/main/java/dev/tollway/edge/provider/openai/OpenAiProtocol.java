package dev.tollway.edge.provider.openai;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.provider.EmbeddingsApi;
import dev.tollway.edge.provider.Endpoints;
import dev.tollway.edge.provider.ModelListApi;
import dev.tollway.edge.provider.ProviderProtocol;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.schemas.snapshot.Provider;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI and any OpenAI-compatible server: {@code api.openai.com} over TLS, {@code /v1/chat/completions}
 * (and {@code /v1/responses} for a Responses client, as it is), the key as {@code Authorization: Bearer};
 * {@code /v1/embeddings} and {@code GET /v1/models}.
 */
public final class OpenAiProtocol implements ProviderProtocol {

  public static final String DEFAULT_HOST = "api.openai.com";

  private final OpenAiChatCodec codec;
  private final OpenAiResponsesCodec responses;

  /** A protocol whose Responses codec is on the system clock with random ids. */
  public OpenAiProtocol(OpenAiChatCodec codec) {
    this(codec, new OpenAiResponsesCodec());
  }

  public OpenAiProtocol(OpenAiChatCodec codec, OpenAiResponsesCodec responses) {
    this.codec = requireNonNull(codec, "codec");
    this.responses = requireNonNull(responses, "responses");
  }

  @Override
  public Provider.ProviderType type() {
    return Provider.ProviderType.openai;
  }

  @Override
  public String otelName() {
    return "openai";
  }

  @Override
  public ChatCodec chatCodec() {
    return codec;
  }

  @Override
  public UpstreamTarget chatTarget(Provider provider, @Nullable String model, boolean stream) {
    return Endpoints.target(provider, DEFAULT_HOST, "/v1", "/chat/completions");
  }

  /** The Responses codec for a Responses client; the chat codec for any other. */
  @Override
  public ChatCodec chatCodec(ChatFormat clientFormat) {
    return clientFormat == ChatFormat.OPENAI_RESPONSES ? responses : codec;
  }

  @Override
  public UpstreamTarget chatTarget(Provider provider, ChatFormat clientFormat, @Nullable String model, boolean stream) {
    return clientFormat == ChatFormat.OPENAI_RESPONSES
        ? Endpoints.beside(provider, DEFAULT_HOST, "/v1", "/chat/completions", "/responses")
        : chatTarget(provider, model, stream);
  }

  @Override
  public Optional<EmbeddingsApi> embeddings() {
    return Optional.of(OpenAiEmbeddings.at(DEFAULT_HOST, "/v1", "/embeddings"));
  }

  @Override
  public Optional<ModelListApi> modelList() {
    return Optional.of(new OpenAiModelList(DEFAULT_HOST, "/v1", "/models"));
  }

  @Override
  public Map<String, String> headers(@Nullable String credential) {
    return credential == null ? Map.of() : Map.of("Authorization", "Bearer " + credential);
  }
}
