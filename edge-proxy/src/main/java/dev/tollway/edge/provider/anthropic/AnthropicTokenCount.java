package dev.tollway.edge.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.provider.Endpoints;
import dev.tollway.edge.provider.TokenCountApi;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import dev.tollway.schemas.snapshot.Provider;
import java.util.Iterator;
import java.util.Set;

/**
 * Anthropic's {@code POST /v1/messages/count_tokens}: the Messages body reduced to what is counted
 * ({@code model}, {@code messages}, {@code system}, {@code tools}, {@code tool_choice}, {@code thinking});
 * the answer is {@code {"input_tokens": N}}.
 */
public final class AnthropicTokenCount implements TokenCountApi {

  /** The fields of a Messages body that {@code count_tokens} takes. */
  static final Set<String> COUNTED = Set.of("model", "messages", "system", "tools", "tool_choice", "thinking");

  @Override
  public UpstreamTarget target(Provider provider, String model) {
    return Endpoints.beside(provider, AnthropicProtocol.DEFAULT_HOST, "/v1", "/messages", "/messages/count_tokens");
  }

  @Override
  public ObjectNode encodeRequest(ChatRequest request) {
    return countBody(AnthropicRequestEncoder.encode(request));
  }

  /** A Messages body with only the counted fields. */
  public static ObjectNode countBody(ObjectNode messages) {
    for (Iterator<String> names = messages.fieldNames(); names.hasNext(); ) {
      if (!COUNTED.contains(names.next())) {
        names.remove();
      }
    }
    return messages;
  }

  @Override
  public long decodeResponse(JsonNode body) {
    JsonNode tokens = body.get("input_tokens");
    if (tokens == null || !tokens.canConvertToLong() || tokens.longValue() < 0) {
      throw UpstreamErrors.malformed("anthropic", "a token count without input_tokens");
    }
    return tokens.longValue();
  }

  /** The client's answer: {@code {"input_tokens": N}}. */
  public static ObjectNode encodeCount(long inputTokens) {
    return dev.tollway.schemas.serde.Json.mapper().createObjectNode().put("input_tokens", inputTokens);
  }
}
