package dev.tollway.edge.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.schemas.snapshot.Provider;

/**
 * A provider's own token counting API (Anthropic {@code count_tokens}, Gemini {@code countTokens}, Bedrock
 * {@code CountTokens}): the input tokens of a chat request, counted by the provider. Pure and thread-safe.
 */
public interface TokenCountApi {

  /**
   * Where a count for {@code model} goes.
   *
   * @throws dev.tollway.edge.error.GatewayException {@code INVALID_REQUEST} for a missing model
   */
  UpstreamTarget target(Provider provider, String model);

  /** The provider's request body for counting the input of {@code request}, the model already resolved. */
  ObjectNode encodeRequest(ChatRequest request);

  /**
   * The input tokens of the provider's answer.
   *
   * @throws dev.tollway.edge.error.GatewayException {@code UPSTREAM_ERROR} when it is not an answer of this API
   */
  long decodeResponse(JsonNode body);
}
