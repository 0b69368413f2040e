package dev.tollway.edge.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.EmbeddingsFormat;
import dev.tollway.edge.llm.EmbeddingsRequest;
import dev.tollway.edge.llm.EmbeddingsResponse;
import dev.tollway.schemas.snapshot.Provider;

/** A provider's embeddings API: where requests go and how its bodies look. Pure and thread-safe. */
public interface EmbeddingsApi {

  /** The wire format; a client of the same format gets the provider's answer unchanged. */
  EmbeddingsFormat format();

  /**
   * How many inputs one call for {@code model} takes. The gateway splits a request with more into calls of
   * at most this many inputs, in order, and joins their answers (Bedrock's Titan embeds one text per call,
   * Cohere Embed 96). By default there is no limit: one call.
   */
  default int maxInputsPerCall(String model) {
    return Integer.MAX_VALUE;
  }

  /**
   * Where a request for {@code model} goes.
   *
   * @throws dev.tollway.edge.error.GatewayException {@code NOT_IMPLEMENTED} when the model has no
   *     embeddings API Tollway can call on this provider, {@code INVALID_REQUEST} for a missing model
   */
  UpstreamTarget target(Provider provider, String model);

  /**
   * The provider's request body, the model already resolved. A request decoded from this same format keeps
   * the client's body with only the model patched.
   *
   * @throws dev.tollway.edge.error.GatewayException {@code INVALID_REQUEST} for what the provider cannot
   *     take (token ids instead of text)
   */
  ObjectNode encodeRequest(EmbeddingsRequest request);

  /**
   * Reads the provider's answer.
   *
   * @throws dev.tollway.edge.error.GatewayException {@code UPSTREAM_ERROR} when it is not an answer of this
   *     API, or has another number of vectors than the request has inputs
   */
  EmbeddingsResponse decodeResponse(JsonNode body, EmbeddingsRequest request);
}
