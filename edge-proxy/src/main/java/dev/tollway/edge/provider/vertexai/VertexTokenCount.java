package dev.tollway.edge.provider.vertexai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.provider.TokenCountApi;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.provider.anthropic.AnthropicChatCodec;
import dev.tollway.edge.provider.anthropic.AnthropicTokenCount;
import dev.tollway.edge.provider.gemini.GeminiChatCodec;
import dev.tollway.edge.provider.gemini.GeminiTokenCount;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import dev.tollway.schemas.snapshot.Provider;
import java.util.Iterator;
import java.util.Set;

/**
 * Token counting on Vertex AI, by the model: a Gemini model's {@code :countTokens} with the generate body's
 * {@code contents}, {@code systemInstruction} and {@code tools} (answer {@code totalTokens}); a Claude model's
 * {@code publishers/anthropic/models/count-tokens:rawPredict} with the Messages body reduced to what is
 * counted, the model in the body (answer {@code input_tokens}).
 */
final class VertexTokenCount implements TokenCountApi {

  private static final Set<String> GEMINI_COUNTED = Set.of("contents", "systemInstruction", "system_instruction", "tools");

  private final VertexProtocol protocol;
  private final GeminiChatCodec gemini = new GeminiChatCodec();
  private final AnthropicChatCodec anthropic = new AnthropicChatCodec();

  VertexTokenCount(VertexProtocol protocol) {
    this.protocol = protocol;
  }

  @Override
  public UpstreamTarget target(Provider provider, String model) {
    VertexModel vertexModel = VertexModel.of(model);
    return vertexModel.isClaude()
        ? protocol.modelTarget(provider, VertexModel.ANTHROPIC, "count-tokens", ":rawPredict")
        : protocol.modelTarget(provider, vertexModel.publisher(), vertexModel.name(), ":countTokens");
  }

  @Override
  public ObjectNode encodeRequest(ChatRequest request) {
    VertexModel model = VertexModel.of(request.model());
    if (model.isClaude()) {
      ObjectNode body = AnthropicTokenCount.countBody(anthropic.encodeRequest(request));
      body.put("model", model.name());
      return body;
    }
    ObjectNode body = gemini.encodeRequest(request);
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      if (!GEMINI_COUNTED.contains(names.next())) {
        names.remove();
      }
    }
    return body;
  }

  @Override
  public long decodeResponse(JsonNode body) {
    if (body.has("input_tokens")) {
      JsonNode tokens = body.get("input_tokens");
      if (!tokens.canConvertToLong() || tokens.longValue() < 0) {
        throw UpstreamErrors.malformed("vertexai", "a token count without input_tokens");
      }
      return tokens.longValue();
    }
    return GeminiTokenCount.totalTokens(body, "vertexai");
  }
}
