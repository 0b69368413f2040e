package dev.tollway.edge.provider.anthropic;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.llm.ChatCodec;
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
 * Anthropic: {@code api.anthropic.com} over TLS, {@code /v1/messages}, the key as {@code x-api-key} with
 * {@code anthropic-version: 2023-06-01}; OAuth tokens ({@code sk-ant-oat...}) go as
 * {@code Authorization: Bearer} instead. Also {@code /v1/messages/count_tokens} and {@code GET /v1/models}.
 */
public final class AnthropicProtocol implements ProviderProtocol {

  public static final String DEFAULT_HOST = "api.anthropic.com";
  public static final String API_VERSION = "2023-06-01";

  private final AnthropicChatCodec codec;

  public AnthropicProtocol(AnthropicChatCodec codec) {
    this.codec = requireNonNull(codec, "codec");
  }

  @Override
  public Provider.ProviderType type() {
    return Provider.ProviderType.anthropic;
  }

  @Override
  public String otelName() {
    return "anthropic";
  }

  @Override
  public ChatCodec chatCodec() {
    return codec;
  }

  @Override
  public UpstreamTarget chatTarget(Provider provider, @Nullable String model, boolean stream) {
    return Endpoints.target(provider, DEFAULT_HOST, "/v1", "/messages");
  }

  @Override
  public Optional<TokenCountApi> tokenCount() {
    return Optional.of(new AnthropicTokenCount());
  }

  @Override
  public Optional<ModelListApi> modelList() {
    return Optional.of(new AnthropicModelList());
  }

  @Override
  public Map<String, String> headers(@Nullable String credential) {
    if (credential == null) {
      return Map.of("anthropic-version", API_VERSION);
    }
    if (credential.startsWith("sk-ant-oat")) {
      return Map.of("Authorization", "Bearer " + credential, "anthropic-version", API_VERSION);
    }
    return Map.of("x-api-key", credential, "anthropic-version", API_VERSION);
  }
}
