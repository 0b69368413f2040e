package dev.tollway.edge.provider;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.schemas.snapshot.Provider;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Finds the protocol that serves a provider type; empty when this build has none for it. */
@FunctionalInterface
public interface ProtocolLookup {

  Optional<ProviderProtocol> find(Provider.ProviderType type);

  /**
   * The codec of a client API: from the protocol of the provider that speaks it ({@code openai} for the
   * OpenAI APIs, {@code anthropic}, {@code gemini}); empty for a format no client speaks.
   */
  default Optional<ChatCodec> clientCodec(ChatFormat format) {
    return switch (format) {
      case OPENAI_CHAT -> find(Provider.ProviderType.openai).map(ProviderProtocol::chatCodec);
      case OPENAI_RESPONSES -> find(Provider.ProviderType.openai)
          .map(p -> p.chatCodec(ChatFormat.OPENAI_RESPONSES))
          .filter(codec -> codec.format() == ChatFormat.OPENAI_RESPONSES);
      case ANTHROPIC_MESSAGES -> find(Provider.ProviderType.anthropic).map(ProviderProtocol::chatCodec);
      case GEMINI_GENERATE_CONTENT -> find(Provider.ProviderType.gemini).map(ProviderProtocol::chatCodec);
      case BEDROCK_CONVERSE, VERTEX_AI -> Optional.empty();
    };
  }

  /** A lookup over a fixed set of protocols (the last one of a type wins). */
  static ProtocolLookup of(Iterable<? extends ProviderProtocol> protocols) {
    Map<Provider.ProviderType, ProviderProtocol> byType = new EnumMap<>(Provider.ProviderType.class);
    for (ProviderProtocol protocol : protocols) {
      byType.put(requireNonNull(protocol.type(), "type"), protocol);
    }
    return type -> Optional.ofNullable(byType.get(type));
  }
}
