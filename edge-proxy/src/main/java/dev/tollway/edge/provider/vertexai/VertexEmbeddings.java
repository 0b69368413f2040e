package dev.tollway.edge.provider.vertexai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.EmbeddingsFormat;
import dev.tollway.edge.llm.EmbeddingsRequest;
import dev.tollway.edge.llm.EmbeddingsResponse;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.EmbeddingsApi;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.provider.wire.Floats;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.Provider;
import java.util.ArrayList;
import java.util.List;

/**
 * Vertex AI's text embeddings: {@code POST .../publishers/google/models/{model}:predict} with
 * {@code {"instances": [{"content": text}], "parameters": {"outputDimensionality"}}}; the answer's
 * {@code predictions[].embeddings} carry the {@code values} and {@code statistics.token_count}, summed into
 * the input tokens. Claude models have no embeddings API ({@code NOT_IMPLEMENTED}).
 */
final class VertexEmbeddings implements EmbeddingsApi {

  private final VertexProtocol protocol;

  VertexEmbeddings(VertexProtocol protocol) {
    this.protocol = protocol;
  }

  @Override
  public EmbeddingsFormat format() {
    return EmbeddingsFormat.VERTEX_PREDICT;
  }

  @Override
  public UpstreamTarget target(Provider provider, String model) {
    VertexModel vertexModel = VertexModel.of(model);
    if (vertexModel.isClaude()) {
      throw new GatewayException(ErrorReason.NOT_IMPLEMENTED,
          "model " + model + ": Anthropic models on Vertex AI have no embeddings API; use a Google text-embedding model");
    }
    return protocol.modelTarget(provider, vertexModel.publisher(), vertexModel.name(), ":predict");
  }

  @Override
  public ObjectNode encodeRequest(EmbeddingsRequest request) {
    if (request.tokenInput()) {
      throw new GatewayException(ErrorReason.INVALID_REQUEST,
          "input: token ids can only go to an OpenAI-compatible provider; Vertex AI embeds text");
    }
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode instances = body.putArray("instances");
    request.texts().forEach(text -> instances.addObject().put("content", text));
    if (request.dimensions() != null) {
      body.putObject("parameters").put("outputDimensionality", request.dimensions());
    }
    return body;
  }

  @Override
  public EmbeddingsResponse decodeResponse(JsonNode body, EmbeddingsRequest request) {
    JsonNode predictions = body.get("predictions");
    if (!body.isObject() || predictions == null || !predictions.isArray()) {
      throw UpstreamErrors.malformed("vertexai", "an embeddings answer without predictions");
    }
    if (predictions.size() != request.texts().size()) {
      throw UpstreamErrors.malformed("vertexai", predictions.size() + " embeddings for " + request.texts().size() + " inputs");
    }
    List<float[]> vectors = new ArrayList<>();
    long tokens = 0;
    boolean counted = false;
    for (JsonNode prediction : predictions) {
      JsonNode embeddings = prediction.path("embeddings");
      vectors.add(Floats.of(embeddings.get("values"), "vertexai"));
      JsonNode count = embeddings.path("statistics").get("token_count");
      if (count != null && count.isNumber()) {
        tokens += count.longValue();
        counted = true;
      }
    }
    return new EmbeddingsResponse(
        null, vectors, counted ? new TokenCounts(tokens, 0, 0, 0, 0) : null, EmbeddingsFormat.VERTEX_PREDICT, body);
  }
}
