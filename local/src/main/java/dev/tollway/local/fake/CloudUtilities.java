package dev.tollway.local.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The cloud fakes' endpoints other than chat, in their real wire formats:
 *
 * <ul>
 *   <li>Bedrock {@code InvokeModel} ({@code POST /model/{modelId}/invoke}) of Amazon Titan Text Embeddings —
 *       {@code {"inputText", "dimensions", "normalize", "embeddingTypes"}} (v2: 256, 512 or 1024 dimensions,
 *       default 1024; v1: {@code inputText} only, 1536) answered {@code {"embedding", "inputTextTokenCount",
 *       "embeddingsByType"}} — and of Cohere Embed — {@code {"texts" (at most 96), "input_type", "truncate",
 *       "embedding_types", "output_dimension"}} answered {@code {"id", "embeddings", "response_type", "texts"}};
 *   <li>Bedrock {@code CountTokens} ({@code POST /model/{modelId}/count-tokens}) of a Converse input:
 *       {@code {"input": {"converse": {...}}}} answered {@code {"inputTokens"}};
 *   <li>Vertex AI {@code :predict} of a Google text-embedding model: {@code {"instances": [{"content"}],
 *       "parameters": {"outputDimensionality"}}} answered {@code {"predictions": [{"embeddings": {"values",
 *       "statistics": {"token_count", "truncated"}}}]}} (default 768 dimensions).
 * </ul>
 *
 * Bodies Bedrock's schema refuses get its {@code ValidationException} ("Malformed input request: ...").
 */
final class CloudUtilities {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final BedrockApi BEDROCK = new BedrockApi();
  private static final Set<Integer> TITAN_V2_DIMENSIONS = Set.of(256, 512, 1024);
  private static final Set<Integer> COHERE_V4_DIMENSIONS = Set.of(256, 512, 1024, 1536);
  private static final Set<String> COHERE_INPUT_TYPES =
      Set.of("search_document", "search_query", "classification", "clustering", "image");
  private static final int COHERE_MAX_TEXTS = 96;

  private CloudUtilities() {}

  /** Bedrock {@code InvokeModel} of an embedding model. */
  static FakeUtilities.Answer bedrockInvoke(String model, JsonNode body) {
    if (!body.isObject()) {
      throw new ApiError.Refused(BEDROCK.notJson());
    }
    String id = model.toLowerCase(Locale.ROOT);
    if (id.contains("amazon.titan-embed-text")) {
      return titan(id.contains("titan-embed-text-v2"), body);
    }
    if (id.contains("cohere.embed")) {
      return cohere(id.contains("cohere.embed-v4"), body);
    }
    throw BedrockApi.invalid("The provided model identifier is invalid (this fake embeds with amazon.titan-embed-text-* "
        + "and cohere.embed-* models).");
  }

  private static FakeUtilities.Answer titan(boolean v2, JsonNode body) {
    JsonNode text = body.path("inputText");
    if (!text.isTextual()) {
      throw malformed("#: required key [inputText] not found");
    }
    if (text.asText().isEmpty()) {
      throw malformed("#/inputText: expected minLength: 1, actual: 0");
    }
    int dimensions = v2 ? 1024 : 1536;
    for (var field : body.properties()) {
      switch (field.getKey()) {
        case "inputText" -> { }
        case "dimensions", "normalize", "embeddingTypes" -> {
          if (!v2) {
            throw malformed("extraneous key [" + field.getKey() + "] is not permitted");
          }
        }
        default -> throw malformed("extraneous key [" + field.getKey() + "] is not permitted");
      }
    }
    if (body.has("dimensions")) {
      JsonNode size = body.path("dimensions");
      if (!size.canConvertToInt() || !TITAN_V2_DIMENSIONS.contains(size.asInt())) {
        throw malformed("#/dimensions: " + size + " is not a valid enum value");
      }
      dimensions = size.asInt();
    }
    int tokens = FakeTokens.count(text.asText());
    ObjectNode out = JSON.objectNode();
    ArrayNode values = out.putArray("embedding");
    float[] vector = FakeUtilities.vector(text.asText(), dimensions);
    for (float v : vector) {
      values.add(v);
    }
    out.put("inputTextTokenCount", tokens);
    if (v2) {
      out.putObject("embeddingsByType").set("float", values.deepCopy());
    }
    return new FakeUtilities.Answer(out, tokens);
  }

  private static FakeUtilities.Answer cohere(boolean v4, JsonNode body) {
    JsonNode texts = body.path("texts");
    if (!texts.isArray()) {
      throw malformed("#: required key [texts] not found");
    }
    if (texts.size() > COHERE_MAX_TEXTS) {
      throw malformed("#/texts: expected maximum item count: " + COHERE_MAX_TEXTS + ", found: " + texts.size());
    }
    JsonNode inputType = body.path("input_type");
    if (!inputType.isTextual()) {
      throw malformed("#: required key [input_type] not found");
    }
    if (!COHERE_INPUT_TYPES.contains(inputType.asText())) {
      throw malformed("#/input_type: " + inputType.asText() + " is not a valid enum value");
    }
    int dimensions = v4 ? 1536 : 1024;
    if (body.has("output_dimension")) {
      JsonNode size = body.path("output_dimension");
      if (!v4) {
        throw malformed("extraneous key [output_dimension] is not permitted");
      }
      if (!size.canConvertToInt() || !COHERE_V4_DIMENSIONS.contains(size.asInt())) {
        throw malformed("#/output_dimension: " + size + " is not a valid enum value");
      }
      dimensions = size.asInt();
    }
    ObjectNode out = JSON.objectNode().put("id", "fake-embed-" + Integer.toHexString(texts.toString().hashCode()));
    ArrayNode embeddings = out.putArray("embeddings");
    List<String> echoed = new ArrayList<>();
    int tokens = 0;
    for (int i = 0; i < texts.size(); i++) {
      JsonNode text = texts.get(i);
      if (!text.isTextual()) {
        throw malformed("#/texts/" + i + ": expected type: String, found: " + text.getNodeType());
      }
      tokens += FakeTokens.count(text.asText());
      echoed.add(text.asText());
      ArrayNode values = embeddings.addArray();
      for (float v : FakeUtilities.vector(text.asText(), dimensions)) {
        values.add(v);
      }
    }
    out.put("response_type", "embeddings_floats");
    ArrayNode echo = out.putArray("texts");
    echoed.forEach(echo::add);
    return new FakeUtilities.Answer(out, tokens);
  }

  /** Bedrock {@code CountTokens} of a Converse input. */
  static FakeUtilities.Answer bedrockCount(String model, JsonNode body) {
    JsonNode converse = body.path("input").path("converse");
    if (!converse.isObject()) {
      throw malformed("#/input: required key [converse] not found (this fake counts Converse inputs)");
    }
    int tokens = BEDROCK.parse(converse, model, false).inputTokens();
    return new FakeUtilities.Answer(JSON.objectNode().put("inputTokens", tokens), tokens);
  }

  /** Vertex AI {@code :predict} of a text-embedding model. */
  static FakeUtilities.Answer vertexPredict(JsonNode body) {
    JsonNode instances = body.path("instances");
    if (!instances.isArray() || instances.isEmpty()) {
      throw new ApiError.Refused(new ApiError(400, "INVALID_ARGUMENT", "instances: at least one instance is required."));
    }
    JsonNode size = body.path("parameters").path("outputDimensionality");
    int dimensions = size.canConvertToInt() ? size.asInt() : 768;
    ObjectNode out = JSON.objectNode();
    ArrayNode predictions = out.putArray("predictions");
    int tokens = 0;
    int characters = 0;
    for (JsonNode instance : instances) {
      String text = instance.path("content").asText("");
      int count = FakeTokens.count(text);
      tokens += count;
      characters += text.length();
      ObjectNode embeddings = predictions.addObject().putObject("embeddings");
      embeddings.putObject("statistics").put("truncated", false).put("token_count", count);
      ArrayNode values = embeddings.putArray("values");
      for (float v : FakeUtilities.vector(text, dimensions)) {
        values.add(v);
      }
    }
    out.putObject("metadata").put("billableCharacterCount", characters);
    return new FakeUtilities.Answer(out, tokens);
  }

  private static ApiError.Refused malformed(String problem) {
    return BedrockApi.invalid("Malformed input request: " + problem + ", please reformat your input and try again.");
  }
}
