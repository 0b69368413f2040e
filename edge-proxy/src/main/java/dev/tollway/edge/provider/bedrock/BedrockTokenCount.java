package dev.tollway.edge.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.provider.Endpoints;
import dev.tollway.edge.provider.TokenCountApi;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.Provider;
import java.util.List;

/**
 * Bedrock's {@code CountTokens}: {@code POST /model/{modelId}/count-tokens} with the Converse request's
 * {@code messages}, {@code system} and {@code toolConfig} as {@code {"input": {"converse": {...}}}}; the
 * answer is {@code {"inputTokens": N}}. Signed like every Bedrock call.
 */
final class BedrockTokenCount implements TokenCountApi {

  private static final List<String> COUNTED = List.of("messages", "system", "toolConfig");

  @Override
  public UpstreamTarget target(Provider provider, String model) {
    String host = "bedrock-runtime." + BedrockProtocol.region(provider) + ".amazonaws.com";
    return Endpoints.target(provider, host, "", "/model/" + BedrockProtocol.pathSegment(model) + "/count-tokens");
  }

  @Override
  public ObjectNode encodeRequest(ChatRequest request) {
    ObjectNode converse = BedrockRequestEncoder.encode(request);
    ObjectNode counted = Json.mapper().createObjectNode();
    for (String field : COUNTED) {
      if (converse.hasNonNull(field)) {
        counted.set(field, converse.get(field));
      }
    }
    ObjectNode body = Json.mapper().createObjectNode();
    body.putObject("input").set("converse", counted);
    return body;
  }

  @Override
  public long decodeResponse(JsonNode body) {
    JsonNode tokens = body.get("inputTokens");
    if (tokens == null || !tokens.canConvertToLong() || tokens.longValue() < 0) {
      throw UpstreamErrors.malformed("bedrock", "a token count without inputTokens");
    }
    return tokens.longValue();
  }
}
