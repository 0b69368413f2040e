package dev.tollway.edge.provider;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.provider.anthropic.AnthropicChatCodec;
import dev.tollway.edge.provider.anthropic.AnthropicProtocol;
import dev.tollway.edge.provider.gemini.GeminiChatCodec;
import dev.tollway.edge.provider.gemini.GeminiProtocol;
import dev.tollway.edge.provider.openai.OpenAiChatCodec;
import dev.tollway.edge.provider.openai.OpenAiProtocol;
import dev.tollway.edge.provider.wire.IdSource;
import dev.tollway.schemas.snapshot.Provider;
import java.time.Clock;
import java.util.Optional;

/**
 * The protocols and codecs Tollway has: {@code openai}, {@code anthropic} and {@code gemini}. Provider types
 * of the snapshot without a protocol yet ({@code vertexai}, {@code bedrock}, {@code azureopenai}) fail with
 * {@code NOT_IMPLEMENTED}.
 */
public final class ProviderProtocols implements ProtocolLookup {

  private static final ProviderProtocols SYSTEM = new ProviderProtocols(Clock.systemUTC(), IdSource.random());

  private final OpenAiChatCodec openAiCodec;
  private final AnthropicChatCodec anthropicCodec;
  private final GeminiChatCodec geminiCodec;
  private final OpenAiProtocol openAi;
  private final AnthropicProtocol anthropic;
  private final GeminiProtocol gemini;

  /**
   * @param clock gives timestamps providers did not
   * @param ids makes ids providers did not give
   */
  public ProviderProtocols(Clock clock, IdSource ids) {
    requireNonNull(clock, "clock");
    requireNonNull(ids, "ids");
    this.openAiCodec = new OpenAiChatCodec(clock, ids);
    this.anthropicCodec = new AnthropicChatCodec(ids);
    this.geminiCodec = new GeminiChatCodec(ids);
    this.openAi = new OpenAiProtocol(openAiCodec);
    this.anthropic = new AnthropicProtocol(anthropicCodec);
    this.gemini = new GeminiProtocol(geminiCodec);
  }

  /** The protocols on the system clock with random ids. */
  public static ProviderProtocols system() {
    return SYSTEM;
  }

  /** The protocol of a provider type, on the system clock with random ids. */
  public static ProviderProtocol of(Provider.ProviderType type) {
    return SYSTEM.protocol(type);
  }

  @Override
  public Optional<ProviderProtocol> find(Provider.ProviderType type) {
    try {
      return Optional.of(protocol(type));
    } catch (GatewayException notImplemented) {
      return Optional.empty();
    }
  }

  /** The codec of a client's wire format, on the system clock with random ids. */
  public static ChatCodec codec(ChatFormat format) {
    return SYSTEM.codecFor(format);
  }

  /**
   * The protocol of a provider type.
   *
   * @throws GatewayException {@code NOT_IMPLEMENTED} for a type without a protocol yet
   */
  public ProviderProtocol protocol(Provider.ProviderType type) {
    return switch (requireNonNull(type, "type")) {
      case openai -> openAi;
      case anthropic -> anthropic;
      case gemini -> gemini;
      case vertexai, bedrock, azureopenai ->
          throw new GatewayException(
              ErrorReason.NOT_IMPLEMENTED, "provider type " + type.name() + " is not supported yet");
    };
  }

  /** The codec of a wire format. */
  public ChatCodec codecFor(ChatFormat format) {
    return switch (requireNonNull(format, "format")) {
      case OPENAI_CHAT -> openAiCodec;
      case ANTHROPIC_MESSAGES -> anthropicCodec;
      case GEMINI_GENERATE_CONTENT -> geminiCodec;
    };
  }
}
