package dev.tollway.edge.provider.bedrock;

import static java.util.Objects.requireNonNull;

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
import dev.tollway.edge.provider.Endpoints;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.provider.wire.Floats;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Bedrock's embedding models through {@code InvokeModel} ({@code POST /model/{modelId}/invoke}, signed like
 * every Bedrock call), each model family in its own body:
 *
 * <ul>
 *   <li>Amazon Titan Text Embeddings ({@code amazon.titan-embed-text-v2:0}, {@code -v1},
 *       {@code amazon.titan-embed-g1-text-02}): one text per call, {@code {"inputText", "dimensions"}}
 *       ({@code dimensions} only for v2: 256, 512 or 1024); the answer {@code {"embedding": [...],
 *       "inputTextTokenCount": N}}. A request of several inputs becomes one call per input
 *       ({@link #maxInputsPerCall}), joined in order by the gateway.
 *   <li>Cohere Embed ({@code cohere.embed-english-v3}, {@code cohere.embed-multilingual-v3},
 *       {@code cohere.embed-v4:0}): up to 96 texts per call, {@code {"texts", "input_type":
 *       "search_document", "output_dimension"}} ({@code output_dimension} only for v4: 256, 512, 1024 or
 *       1536); the answer's {@code embeddings} is the list of vectors (or, by type, {@code {"float": [...]}});
 *       it carries no token counts, so the gateway estimates them. OpenAI's API has no input type: documents
 *       ({@code search_document}) is what an embeddings call usually stores.
 * </ul>
 *
 * A model id may be a cross-region inference profile ({@code us.cohere.embed-v4:0}) or an ARN ending in one
 * of these ids. Other models (Titan multimodal, ...) are {@code NOT_IMPLEMENTED}.
 */
final class BedrockEmbeddings implements EmbeddingsApi {

  /** Cohere Embed's most texts per call on Bedrock. */
  static final int COHERE_MAX_TEXTS = 96;

  private static final Set<Integer> TITAN_V2_DIMENSIONS = Set.of(256, 512, 1024);
  private static final Set<Integer> COHERE_V4_DIMENSIONS = Set.of(256, 512, 1024, 1536);
  private static final String COHERE_INPUT_TYPE = "search_document";

  /** The embedding model families Tollway translates to. */
  enum Family {
    TITAN_V1,
    TITAN_V2,
    COHERE_V3,
    COHERE_V4
  }

  @Override
  public EmbeddingsFormat format() {
    return EmbeddingsFormat.BEDROCK_INVOKE;
  }

  @Override
  public int maxInputsPerCall(String model) {
    return switch (family(model)) {
      case TITAN_V1, TITAN_V2 -> 1;
      case COHERE_V3, COHERE_V4 -> COHERE_MAX_TEXTS;
    };
  }

  /** @throws GatewayException {@code NOT_IMPLEMENTED} for a model of no family Tollway translates to */
  @Override
  public UpstreamTarget target(Provider provider, String model) {
    family(model);
    String host = "bedrock-runtime." + BedrockProtocol.region(provider) + ".amazonaws.com";
    return Endpoints.target(provider, host, "", "/model/" + BedrockProtocol.pathSegment(model) + "/invoke");
  }

  /**
   * @throws GatewayException {@code INVALID_REQUEST} for token ids, a size the model does not make, or more
   *     inputs than one call takes (the gateway splits requests first)
   */
  @Override
  public ObjectNode encodeRequest(EmbeddingsRequest request) {
    String model = requireNonNull(request.model(), "model");
    if (request.tokenInput()) {
      throw new GatewayException(ErrorReason.INVALID_REQUEST,
          "input: token ids can only go to an OpenAI-compatible provider; Bedrock embeds text");
    }
    Family family = family(model);
    if (request.texts().size() > maxInputsPerCall(model)) {
      throw new IllegalArgumentException(
          request.texts().size() + " inputs for one call of " + model + " (at most " + maxInputsPerCall(model) + ")");
    }
    ObjectNode body = Json.mapper().createObjectNode();
    Integer dimensions = request.dimensions();
    switch (family) {
      case TITAN_V1, TITAN_V2 -> {
        body.put("inputText", request.texts().get(0));
        if (dimensions != null) {
          body.put("dimensions", checkDimensions(model, dimensions, family == Family.TITAN_V2 ? TITAN_V2_DIMENSIONS : Set.of()));
        }
      }
      case COHERE_V3, COHERE_V4 -> {
        ArrayNode texts = body.putArray("texts");
        request.texts().forEach(texts::add);
        body.put("input_type", COHERE_INPUT_TYPE);
        if (dimensions != null) {
          body.put("output_dimension",
              checkDimensions(model, dimensions, family == Family.COHERE_V4 ? COHERE_V4_DIMENSIONS : Set.of()));
        }
      }
    }
    return body;
  }

  @Override
  public EmbeddingsResponse decodeResponse(JsonNode body, EmbeddingsRequest request) {
    if (!body.isObject()) {
      throw UpstreamErrors.malformed("bedrock", "an embeddings answer that is not a JSON object");
    }
    Family family = family(requireNonNull(request.model(), "model"));
    List<float[]> vectors = new ArrayList<>();
    TokenCounts usage = null;
    if (family == Family.TITAN_V1 || family == Family.TITAN_V2) {
      JsonNode embedding = body.has("embedding") ? body.get("embedding") : body.path("embeddingsByType").get("float");
      vectors.add(Floats.of(embedding, "bedrock"));
      JsonNode tokens = body.get("inputTextTokenCount");
      if (tokens != null && tokens.canConvertToLong() && tokens.longValue() >= 0) {
        usage = new TokenCounts(tokens.longValue(), 0, 0, 0, 0);
      }
    } else {
      JsonNode embeddings = body.get("embeddings");
      if (embeddings != null && embeddings.isObject()) {
        embeddings = embeddings.get("float");
      }
      if (embeddings == null || !embeddings.isArray()) {
        throw UpstreamErrors.malformed("bedrock", "a Cohere embeddings answer without float embeddings");
      }
      for (JsonNode embedding : embeddings) {
        vectors.add(Floats.of(embedding, "bedrock"));
      }
    }
    if (vectors.size() != request.texts().size()) {
      throw UpstreamErrors.malformed("bedrock", vectors.size() + " embeddings for " + request.texts().size() + " inputs");
    }
    return new EmbeddingsResponse(null, vectors, usage, EmbeddingsFormat.BEDROCK_INVOKE, body);
  }

  /**
   * The family of a model id, an inference profile ({@code us.}, {@code eu.}, ... prefix) or an ARN ending in
   * one.
   *
   * @throws GatewayException {@code NOT_IMPLEMENTED} for any other model
   */
  static Family family(String model) {
    String id = model.strip().toLowerCase(Locale.ROOT);
    int slash = id.lastIndexOf('/');
    if (slash >= 0) {
      id = id.substring(slash + 1);
    }
    if (id.contains("amazon.titan-embed-text-v2")) {
      return Family.TITAN_V2;
    }
    if (id.contains("amazon.titan-embed-text-v1") || id.contains("amazon.titan-embed-g1-text")) {
      return Family.TITAN_V1;
    }
    if (id.contains("cohere.embed-v4")) {
      return Family.COHERE_V4;
    }
    if (id.contains("cohere.embed-english-v3") || id.contains("cohere.embed-multilingual-v3")) {
      return Family.COHERE_V3;
    }
    throw new GatewayException(ErrorReason.NOT_IMPLEMENTED,
        "model " + model + ": Tollway embeds with Amazon Titan Text (amazon.titan-embed-text-*) and Cohere Embed "
            + "(cohere.embed-*) models on Bedrock");
  }

  private static int checkDimensions(String model, int dimensions, Set<Integer> allowed) {
    if (allowed.isEmpty()) {
      throw new GatewayException(ErrorReason.INVALID_REQUEST,
          "dimensions: " + model + " makes vectors of one fixed size (leave dimensions out)");
    }
    if (!allowed.contains(dimensions)) {
      throw new GatewayException(ErrorReason.INVALID_REQUEST,
          "dimensions: " + dimensions + " (" + model + " makes " + allowed.stream().sorted().map(String::valueOf)
              .reduce((a, b) -> a + ", " + b).orElse("") + ")");
    }
    return dimensions;
  }
}
