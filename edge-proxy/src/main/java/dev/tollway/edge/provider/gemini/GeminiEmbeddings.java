package dev.tollway.edge.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.EmbeddingsFormat;
import dev.tollway.edge.llm.EmbeddingsRequest;
import dev.tollway.edge.llm.EmbeddingsResponse;
import dev.tollway.edge.provider.EmbeddingsApi;
import dev.tollway.edge.provider.Endpoints;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.provider.wire.Floats;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.Provider;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemini's {@code POST /v1beta/models/{model}:batchEmbedContents}: one request per input text,
 * {@code {"requests": [{"model": "models/{model}", "content": {"parts": [{"text"}]},
 * "outputDimensionality"}]}}; the answer {@code {"embeddings": [{"values": [...]}]}} carries no token counts.
 */
final class GeminiEmbeddings implements EmbeddingsApi {

  @Override
  public EmbeddingsFormat format() {
    return EmbeddingsFormat.GEMINI_BATCH;
  }

  @Override
  public UpstreamTarget target(Provider provider, String model) {
    return Endpoints.target(provider, GeminiProtocol.DEFAULT_HOST, "/v1beta", GeminiProtocol.modelPath(model) + ":batchEmbedContents");
  }

  @Override
  public ObjectNode encodeRequest(EmbeddingsRequest request) {
    if (request.tokenInput()) {
      throw new GatewayException(ErrorReason.INVALID_REQUEST,
          "input: token ids can only go to an OpenAI-compatible provider; Gemini embeds text");
    }
    String model = "models/" + GeminiProtocol.bareName(String.valueOf(request.model()));
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode requests = body.putArray("requests");
    for (String text : request.texts()) {
      ObjectNode entry = requests.addObject().put("model", model);
      entry.putObject("content").putArray("parts").addObject().put("text", text);
      if (request.dimensions() != null) {
        entry.put("outputDimensionality", request.dimensions());
      }
    }
    return body;
  }

  @Override
  public EmbeddingsResponse decodeResponse(JsonNode body, EmbeddingsRequest request) {
    JsonNode embeddings = body.get("embeddings");
    if (!body.isObject() || embeddings == null || !embeddings.isArray()) {
      throw UpstreamErrors.malformed("gemini", "an embeddings answer without embeddings");
    }
    if (embeddings.size() != request.texts().size()) {
      throw UpstreamErrors.malformed("gemini", embeddings.size() + " embeddings for " + request.texts().size() + " inputs");
    }
    List<float[]> vectors = new ArrayList<>();
    for (JsonNode embedding : embeddings) {
      vectors.add(Floats.of(embedding.get("values"), "gemini"));
    }
    return new EmbeddingsResponse(null, vectors, null, EmbeddingsFormat.GEMINI_BATCH, body);
  }
}
