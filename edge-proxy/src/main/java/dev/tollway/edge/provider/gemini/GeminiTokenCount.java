package dev.tollway.edge.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.provider.Endpoints;
import dev.tollway.edge.provider.TokenCountApi;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.Provider;

/**
 * Gemini's {@code POST /v1beta/models/{model}:countTokens} with the whole generate request
 * ({@code {"generateContentRequest": {"model", "contents", "systemInstruction", "tools", ...}}}), so the
 * system instruction and tools are counted too; the answer is {@code {"totalTokens": N}}.
 */
public final class GeminiTokenCount implements TokenCountApi {

  @Override
  public UpstreamTarget target(Provider provider, String model) {
    return Endpoints.target(provider, GeminiProtocol.DEFAULT_HOST, "/v1beta", GeminiProtocol.modelPath(model) + ":countTokens");
  }

  @Override
  public ObjectNode encodeRequest(ChatRequest request) {
    ObjectNode generate = GeminiRequestEncoder.encode(request);
    generate.put("model", "models/" + GeminiProtocol.bareName(String.valueOf(request.model())));
    ObjectNode body = Json.mapper().createObjectNode();
    body.set("generateContentRequest", generate);
    return body;
  }

  @Override
  public long decodeResponse(JsonNode body) {
    return totalTokens(body, "gemini");
  }

  /** {@code totalTokens} of a {@code countTokens} answer. */
  public static long totalTokens(JsonNode body, String provider) {
    JsonNode tokens = body.get("totalTokens");
    if (tokens == null || !tokens.canConvertToLong() || tokens.longValue() < 0) {
      throw UpstreamErrors.malformed(provider, "a token count without totalTokens");
    }
    return tokens.longValue();
  }

  /** The client's answer: {@code {"totalTokens": N}}. */
  public static ObjectNode encodeCount(long tokens) {
    return Json.mapper().createObjectNode().put("totalTokens", tokens);
  }
}
