package dev.tollway.edge.pipeline;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.provider.ProtocolLookup;
import dev.tollway.edge.provider.ProviderProtocol;
import dev.tollway.schemas.snapshot.Provider.ProviderType;

/** The client-side codec and the usage name of each client API. */
final class ClientApis {

  private ClientApis() {}

  /** The codec for a route type's client API, from the protocol that speaks that format. */
  static ChatCodec codecFor(String routeType, ProtocolLookup protocols) {
    ProviderType type =
        switch (routeType) {
          case RouteTypes.COMPLETIONS -> ProviderType.openai;
          case RouteTypes.MESSAGES -> ProviderType.anthropic;
          default -> throw new GatewayException(
              ErrorReason.NOT_IMPLEMENTED, "route type " + routeType + " is not implemented yet");
        };
    return protocols.find(type)
        .map(ProviderProtocol::chatCodec)
        .orElseThrow(() -> new GatewayException(
            ErrorReason.NOT_IMPLEMENTED, "route type " + routeType + " is not available in this build"));
  }

  /** {@code openai.chat}, {@code anthropic.messages}, {@code gemini.generate_content}. */
  static String usageName(ChatFormat format) {
    return switch (format) {
      case OPENAI_CHAT -> "openai.chat";
      case ANTHROPIC_MESSAGES -> "anthropic.messages";
      case GEMINI_GENERATE_CONTENT -> "gemini.generate_content";
      case BEDROCK_CONVERSE -> "bedrock.converse";
      case VERTEX_AI -> "vertexai";
    };
  }
}
