package dev.tollway.edge.testing;

import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.provider.ProtocolLookup;
import dev.tollway.edge.provider.ProviderProtocol;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.schemas.snapshot.Provider;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A provider protocol over {@link TestCodec}: {@code openai} speaks the "oa" format on {@code /v1/chat} with
 * {@code Authorization: Bearer}, {@code anthropic} the "an" format on {@code /v1/messages} with
 * {@code x-api-key}. Targets take the provider's host and port (tests always set them).
 */
public final class TestProtocol implements ProviderProtocol {

  private final Provider.ProviderType type;
  private final TestCodec codec;

  public TestProtocol(Provider.ProviderType type, TestCodec codec) {
    this.type = type;
    this.codec = codec;
  }

  public static TestProtocol openai() {
    return new TestProtocol(Provider.ProviderType.openai, new TestCodec(ChatFormat.OPENAI_CHAT, "oa"));
  }

  public static TestProtocol anthropic() {
    return new TestProtocol(Provider.ProviderType.anthropic, new TestCodec(ChatFormat.ANTHROPIC_MESSAGES, "an"));
  }

  /** Both test protocols. */
  public static ProtocolLookup lookup() {
    return ProtocolLookup.of(List.of(openai(), anthropic()));
  }

  @Override
  public Provider.ProviderType type() {
    return type;
  }

  @Override
  public String otelName() {
    return type == Provider.ProviderType.openai ? "openai" : "anthropic";
  }

  @Override
  public ChatCodec chatCodec() {
    return codec;
  }

  @Override
  public UpstreamTarget chatTarget(Provider provider, @Nullable String model, boolean stream) {
    String path = type == Provider.ProviderType.openai ? "/v1/chat" : "/v1/messages";
    return new UpstreamTarget(
        provider.host() == null ? "provider.invalid" : provider.host(),
        provider.port() == null ? 443 : provider.port(),
        provider.tls(),
        provider.path() != null ? provider.path() : path);
  }

  @Override
  public Map<String, String> headers(@Nullable String credential) {
    if (credential == null) {
      return Map.of();
    }
    return type == Provider.ProviderType.openai
        ? Map.of("Authorization", "Bearer " + credential)
        : Map.of("x-api-key", credential, "anthropic-version", "2023-06-01");
  }
}
