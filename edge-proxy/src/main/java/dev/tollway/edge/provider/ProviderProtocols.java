package dev.tollway.edge.provider;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.provider.anthropic.AnthropicChatCodec;
import dev.tollway.edge.provider.anthropic.AnthropicProtocol;
import dev.tollway.edge.provider.azureopenai.AzureOpenAiChatCodec;
import dev.tollway.edge.provider.azureopenai.AzureOpenAiProtocol;
import dev.tollway.edge.provider.bedrock.BedrockChatCodec;
import dev.tollway.edge.provider.bedrock.BedrockProtocol;
import dev.tollway.edge.provider.gemini.GeminiChatCodec;
import dev.tollway.edge.provider.gemini.GeminiProtocol;
import dev.tollway.edge.provider.openai.OpenAiChatCodec;
import dev.tollway.edge.provider.openai.OpenAiProtocol;
import dev.tollway.edge.provider.openai.OpenAiResponsesCodec;
import dev.tollway.edge.provider.vertexai.AccessTokenCache;
import dev.tollway.edge.provider.vertexai.VertexChatCodec;
import dev.tollway.edge.provider.vertexai.VertexProtocol;
import dev.tollway.edge.provider.wire.IdSource;
import dev.tollway.schemas.snapshot.Provider;
import java.time.Clock;
import java.util.Optional;

/**
 * The protocols and codecs Tollway has: one protocol for every provider type of the snapshot
 * ({@code openai}, {@code anthropic}, {@code gemini}, {@code vertexai}, {@code bedrock},
 * {@code azureopenai}) and one codec for every chat format.
 */
public final class ProviderProtocols implements ProtocolLookup {

  private static final ProviderProtocols SYSTEM = new ProviderProtocols(Clock.systemUTC(), IdSource.random());

  private final OpenAiChatCodec openAiCodec;
  private final OpenAiResponsesCodec responsesCodec;
  private final AnthropicChatCodec anthropicCodec;
  private final GeminiChatCodec geminiCodec;
  private final BedrockChatCodec bedrockCodec;
  private final VertexChatCodec vertexCodec;
  private final OpenAiProtocol openAi;
  private final AnthropicProtocol anthropic;
  private final GeminiProtocol gemini;
  private final BedrockProtocol bedrock;
  private final VertexProtocol vertex;
  private final AzureOpenAiProtocol azureOpenAi;

  /**
   * Protocols whose Vertex AI access tokens come from Google's auth library.
   *
   * @param clock gives timestamps providers did not, signs Bedrock requests, and times token expiry
   * @param ids makes ids providers did not give
   */
  public ProviderProtocols(Clock clock, IdSource ids) {
    this(clock, ids, AccessTokenCache.serviceAccounts(requireNonNull(clock, "clock")));
  }

  /** @param vertexTokens the access tokens of Vertex AI service accounts */
  public ProviderProtocols(Clock clock, IdSource ids, AccessTokenCache vertexTokens) {
    requireNonNull(clock, "clock");
    requireNonNull(ids, "ids");
    requireNonNull(vertexTokens, "vertexTokens");
    this.openAiCodec = new OpenAiChatCodec(clock, ids);
    this.responsesCodec = new OpenAiResponsesCodec(clock, ids);
    this.anthropicCodec = new AnthropicChatCodec(ids);
    this.geminiCodec = new GeminiChatCodec(ids);
    this.bedrockCodec = new BedrockChatCodec();
    this.vertexCodec = new VertexChatCodec(geminiCodec, anthropicCodec);
    this.openAi = new OpenAiProtocol(openAiCodec, responsesCodec);
    this.anthropic = new AnthropicProtocol(anthropicCodec);
    this.gemini = new GeminiProtocol(geminiCodec);
    this.bedrock = new BedrockProtocol(bedrockCodec, clock);
    this.vertex = new VertexProtocol(vertexCodec, vertexTokens);
    this.azureOpenAi = new AzureOpenAiProtocol(new AzureOpenAiChatCodec(openAiCodec), responsesCodec);
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
    return Optional.of(protocol(type));
  }

  @Override
  public Optional<ChatCodec> clientCodec(ChatFormat format) {
    return switch (format) {
      case BEDROCK_CONVERSE, VERTEX_AI -> Optional.empty();
      default -> Optional.of(codecFor(format));
    };
  }

  /** The codec of a client's wire format, on the system clock with random ids. */
  public static ChatCodec codec(ChatFormat format) {
    return SYSTEM.codecFor(format);
  }

  /** The protocol of a provider type. */
  public ProviderProtocol protocol(Provider.ProviderType type) {
    return switch (requireNonNull(type, "type")) {
      case openai -> openAi;
      case anthropic -> anthropic;
      case gemini -> gemini;
      case vertexai -> vertex;
      case bedrock -> bedrock;
      case azureopenai -> azureOpenAi;
    };
  }

  /**
   * The codec of a wire format. {@link ChatFormat#BEDROCK_CONVERSE} and {@link ChatFormat#VERTEX_AI} are
   * provider side only: their codecs refuse the client-side methods.
   */
  public ChatCodec codecFor(ChatFormat format) {
    return switch (requireNonNull(format, "format")) {
      case OPENAI_CHAT -> openAiCodec;
      case OPENAI_RESPONSES -> responsesCodec;
      case ANTHROPIC_MESSAGES -> anthropicCodec;
      case GEMINI_GENERATE_CONTENT -> geminiCodec;
      case BEDROCK_CONVERSE -> bedrockCodec;
      case VERTEX_AI -> vertexCodec;
    };
  }
}
