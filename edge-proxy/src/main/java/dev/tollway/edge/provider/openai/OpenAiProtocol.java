package dev.tollway.edge.provider.openai;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.provider.Endpoints;
import dev.tollway.edge.provider.ProviderProtocol;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.schemas.snapshot.Provider;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI and any OpenAI-compatible server: {@code api.openai.com} over TLS, {@code /v1/chat/completions},
 * the key as {@code Authorization: Bearer}.
 */
public final class OpenAiProtocol implements ProviderProtocol {

  public static final String DEFAULT_HOST = "api.openai.com";

  private final OpenAiChatCodec codec;

  public OpenAiProtocol(OpenAiChatCodec codec) {
    this.codec = requireNonNull(codec, "codec");
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

  @Override
  public Map<String, String> headers(@Nullable String credential) {
    return credential == null ? Map.of() : Map.of("Authorization", "Bearer " + credential);
  }
}
