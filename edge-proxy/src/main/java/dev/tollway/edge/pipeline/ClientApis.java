package dev.tollway.edge.pipeline;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.provider.ProtocolLookup;
import dev.tollway.edge.provider.gemini.GeminiChatCodec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Deque;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The client APIs: their codecs, how a chat body is decoded with what the path says, their usage names. */
final class ClientApis {

  private ClientApis() {}

  /** The chat format of a chat route type, or null for a route type that is not a chat API. */
  static @Nullable ChatFormat chatFormat(String routeType) {
    return switch (routeType) {
      case RouteTypes.COMPLETIONS -> ChatFormat.OPENAI_CHAT;
      case RouteTypes.MESSAGES -> ChatFormat.ANTHROPIC_MESSAGES;
      case RouteTypes.RESPONSES -> ChatFormat.OPENAI_RESPONSES;
      case RouteTypes.GENERATE_CONTENT -> ChatFormat.GEMINI_GENERATE_CONTENT;
      default -> null;
    };
  }

  /**
   * The API whose error shape a route type's clients expect: the chat API's own, OpenAI's for embeddings and
   * the model list, Anthropic's and Gemini's for their token counts; null for passthrough and unknown types.
   */
  static @Nullable ChatFormat errorFormat(String routeType) {
    ChatFormat chat = chatFormat(routeType);
    if (chat != null) {
      return chat;
    }
    return switch (routeType) {
      case RouteTypes.EMBEDDINGS, RouteTypes.MODELS -> ChatFormat.OPENAI_CHAT;
      case RouteTypes.ANTHROPIC_TOKEN_COUNT -> ChatFormat.ANTHROPIC_MESSAGES;
      case RouteTypes.GEMINI_COUNT_TOKENS -> ChatFormat.GEMINI_GENERATE_CONTENT;
      default -> null;
    };
  }

  /** The codec of a client API, from the protocols. */
  static ChatCodec codecFor(ChatFormat format, ProtocolLookup protocols) {
    return protocols.clientCodec(format)
        .orElseThrow(() -> new GatewayException(
            ErrorReason.NOT_IMPLEMENTED, "the " + usageName(format) + " API is not available in this build"));
  }

  /** The codec of a chat route type's client API. */
  static ChatCodec codecFor(String routeType, ProtocolLookup protocols) {
    ChatFormat format = chatFormat(routeType);
    if (format == null) {
      throw new GatewayException(ErrorReason.NOT_IMPLEMENTED, "route type " + routeType + " is not a chat API");
    }
    return codecFor(format, protocols);
  }

  /**
   * Decodes a chat body; a Gemini client's model and streaming come from its path
   * ({@code models/{model}:streamGenerateContent?alt=sse}).
   */
  static ChatRequest decode(ChatCodec codec, ObjectNode body, String path, Map<String, Deque<String>> query) {
    if (codec.format() != ChatFormat.GEMINI_GENERATE_CONTENT) {
      return codec.decodeRequest(body);
    }
    GeminiPath gemini = GeminiPath.require(path, "generateContent or :streamGenerateContent");
    if (!gemini.method().equals("generateContent") && !gemini.streams()) {
      throw new GatewayException(ErrorReason.INVALID_REQUEST,
          "path " + path + ": expected the method generateContent or streamGenerateContent");
    }
    if (gemini.streams()) {
      Deque<String> alt = query.get("alt");
      if (alt == null || !"sse".equals(alt.peekFirst())) {
        throw new GatewayException(ErrorReason.INVALID_REQUEST,
            "alt: streamGenerateContent is served as server-sent events; add ?alt=sse");
      }
    }
    return codec instanceof GeminiChatCodec geminiCodec
        ? geminiCodec.decodeRequest(body, gemini.model(), gemini.streams())
        : codec.decodeRequest(body);
  }

  /**
   * The client API a path most likely speaks, by agentgateway's default table, so that an error before the
   * route is known (no route, a body too large) has that API's shape: Anthropic for {@code /v1/messages}
   * and {@code /v1/messages/count_tokens}, Gemini for {@code :generateContent}, {@code :streamGenerateContent}
   * and {@code :countTokens}, else OpenAI.
   */
  static ChatFormat likelyFormat(String path) {
    if (path.endsWith("/v1/messages") || path.endsWith("/v1/messages/count_tokens")) {
      return ChatFormat.ANTHROPIC_MESSAGES;
    }
    if (path.endsWith(":generateContent") || path.endsWith(":streamGenerateContent") || path.endsWith(":countTokens")) {
      return ChatFormat.GEMINI_GENERATE_CONTENT;
    }
    return ChatFormat.OPENAI_CHAT;
  }

  /** {@code openai.chat}, {@code openai.responses}, {@code anthropic.messages}, {@code gemini.generate_content}. */
  static String usageName(ChatFormat format) {
    return switch (format) {
      case OPENAI_CHAT -> "openai.chat";
      case OPENAI_RESPONSES -> "openai.responses";
      case ANTHROPIC_MESSAGES -> "anthropic.messages";
      case GEMINI_GENERATE_CONTENT -> "gemini.generate_content";
      case BEDROCK_CONVERSE -> "bedrock.converse";
      case VERTEX_AI -> "vertexai";
    };
  }
}
