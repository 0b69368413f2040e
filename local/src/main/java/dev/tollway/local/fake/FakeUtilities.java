package dev.tollway.local.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.util.HeaderMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The fake providers' endpoints other than chat, each in the provider's real wire format:
 *
 * <ul>
 *   <li>OpenAI {@code POST /v1/embeddings} (and Azure's {@code /openai/v1/embeddings}): {@code float} or
 *       {@code base64} vectors, {@code usage.prompt_tokens};
 *   <li>{@code GET /v1/models}: OpenAI's list, or Anthropic's when the request carries
 *       {@code anthropic-version}; Azure's {@code GET /openai/v1/models}; Gemini's {@code GET /v1beta/models};
 *   <li>Anthropic {@code POST /v1/messages/count_tokens}: {@code {"input_tokens"}}; fields it does not take
 *       ({@code max_tokens}, {@code stream}) are refused as Anthropic does;
 *   <li>Gemini {@code POST /v1beta/models/{model}:countTokens} ({@code contents} or
 *       {@code generateContentRequest}) and {@code :batchEmbedContents};
 *   <li>the same {@code :countTokens} on Vertex AI, Vertex AI's Claude {@code count-tokens:rawPredict}, and the
 *       cloud endpoints of {@link CloudUtilities} (Bedrock embeddings and token counts, Vertex AI's
 *       {@code :predict}).
 * </ul>
 *
 * Vectors are deterministic: the same text gives the same unit vector ({@code dimensions}, default 8). Input
 * tokens follow {@link FakeTokens}, as for chat.
 */
final class FakeUtilities {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ProviderApi OPENAI = new OpenAiApi();
  private static final ProviderApi AZURE = new AzureOpenAiApi(OPENAI);
  private static final ProviderApi ANTHROPIC = new AnthropicApi();
  private static final ProviderApi GEMINI = new GeminiApi();
  private static final ProviderApi BEDROCK = new BedrockApi();
  private static final ProviderApi VERTEX_GEMINI = VertexApi.gemini();
  private static final ProviderApi VERTEX_CLAUDE = VertexApi.claude();
  private static final String GEMINI_PREFIX = "/v1beta/models/";
  private static final int DEFAULT_DIMENSIONS = 8;

  private FakeUtilities() {}

  /** What an endpoint does. */
  enum Kind {
    EMBEDDINGS,
    MODELS,
    COUNT_TOKENS,
    GEMINI_EMBED,
    GEMINI_COUNT,
    BEDROCK_INVOKE,
    BEDROCK_COUNT,
    VERTEX_PREDICT
  }

  /**
   * An endpoint of one provider.
   *
   * @param method the method it answers
   * @param model the model of a Gemini path
   */
  record Route(ProviderApi api, Kind kind, String method, @Nullable String model) {}

  /**
   * The endpoint serving a path (and, for {@code /v1/models}, the headers), or null when none does.
   *
   * @param path the decoded path
   * @param cloud what the path as sent names on Bedrock or Vertex AI, if anything
   */
  static @Nullable Route route(String path, @Nullable CloudPath cloud, HeaderMap headers) {
    if (cloud != null) {
      return cloudRoute(cloud);
    }
    return switch (path) {
      case "/v1/embeddings" -> new Route(OPENAI, Kind.EMBEDDINGS, "POST", null);
      case "/openai/v1/embeddings" -> new Route(AZURE, Kind.EMBEDDINGS, "POST", null);
      case "/v1/models" -> new Route(headers.contains("anthropic-version") ? ANTHROPIC : OPENAI, Kind.MODELS, "GET", null);
      case "/openai/v1/models" -> new Route(AZURE, Kind.MODELS, "GET", null);
      case "/v1beta/models" -> new Route(GEMINI, Kind.MODELS, "GET", null);
      case "/v1/messages/count_tokens" -> new Route(ANTHROPIC, Kind.COUNT_TOKENS, "POST", null);
      default -> geminiRoute(path);
    };
  }

  private static @Nullable Route cloudRoute(CloudPath path) {
    if (path.cloud() == CloudPath.Cloud.BEDROCK) {
      return switch (path.operation()) {
        case "invoke" -> new Route(BEDROCK, Kind.BEDROCK_INVOKE, "POST", path.model());
        case "count-tokens" -> new Route(BEDROCK, Kind.BEDROCK_COUNT, "POST", path.model());
        default -> null;
      };
    }
    if (path.is(CloudPath.Cloud.VERTEX, "google", "countTokens")) {
      return new Route(VERTEX_GEMINI, Kind.GEMINI_COUNT, "POST", path.model());
    }
    if (path.is(CloudPath.Cloud.VERTEX, "google", "predict")) {
      return new Route(VERTEX_GEMINI, Kind.VERTEX_PREDICT, "POST", path.model());
    }
    if (path.is(CloudPath.Cloud.VERTEX, "anthropic", "rawPredict") && path.model().equals("count-tokens")) {
      return new Route(VERTEX_CLAUDE, Kind.COUNT_TOKENS, "POST", null);
    }
    return null;
  }

  private static @Nullable Route geminiRoute(String path) {
    if (!path.startsWith(GEMINI_PREFIX)) {
      return null;
    }
    String rest = path.substring(GEMINI_PREFIX.length());
    int colon = rest.lastIndexOf(':');
    if (colon <= 0 || rest.substring(0, colon).contains("/")) {
      return null;
    }
    String model = rest.substring(0, colon);
    return switch (rest.substring(colon + 1)) {
      case "batchEmbedContents" -> new Route(GEMINI, Kind.GEMINI_EMBED, "POST", model);
      case "countTokens" -> new Route(GEMINI, Kind.GEMINI_COUNT, "POST", model);
      default -> null;
    };
  }

  /**
   * The answer and its input tokens.
   *
   * @throws ApiError.Refused when the provider would refuse the body
   */
  static Answer answer(Route route, JsonNode body) {
    return switch (route.kind()) {
      case EMBEDDINGS -> openAiEmbeddings(body);
      case MODELS -> new Answer(models(route.api()), 0);
      case COUNT_TOKENS -> anthropicCount(body);
      case GEMINI_EMBED -> geminiEmbed(body, String.valueOf(route.model()));
      case GEMINI_COUNT -> geminiCount(body, String.valueOf(route.model()));
      case BEDROCK_INVOKE -> CloudUtilities.bedrockInvoke(String.valueOf(route.model()), body);
      case BEDROCK_COUNT -> CloudUtilities.bedrockCount(String.valueOf(route.model()), body);
      case VERTEX_PREDICT -> CloudUtilities.vertexPredict(body);
    };
  }

  /** A JSON answer and the input tokens it reports. */
  record Answer(JsonNode body, int inputTokens) {}

  private static Answer openAiEmbeddings(JsonNode body) {
    if (!body.isObject()) {
      throw new ApiError.Refused(OPENAI.notJson());
    }
    JsonNode model = body.path("model");
    if (!model.isTextual() || model.asText().isEmpty()) {
      throw new ApiError.Refused(new ApiError(400, "invalid_request_error", "you must provide a model parameter"));
    }
    JsonNode input = body.path("input");
    List<String> texts;
    if (input.isTextual()) {
      texts = List.of(input.asText());
    } else if (input.isArray() && !input.isEmpty() && input.get(0).isTextual()) {
      texts = new java.util.ArrayList<>();
      for (JsonNode text : input) {
        texts.add(text.asText());
      }
    } else {
      throw new ApiError.Refused(new ApiError(400, "invalid_request_error",
          "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
          null, null));
    }
    int dimensions = body.path("dimensions").canConvertToInt() ? body.path("dimensions").asInt() : DEFAULT_DIMENSIONS;
    boolean base64 = body.path("encoding_format").asText("float").equals("base64");
    ObjectNode out = JSON.objectNode().put("object", "list");
    ArrayNode data = out.putArray("data");
    int tokens = 0;
    for (int i = 0; i < texts.size(); i++) {
      float[] vector = vector(texts.get(i), dimensions);
      tokens += FakeTokens.count(texts.get(i));
      ObjectNode entry = data.addObject().put("object", "embedding").put("index", i);
      if (base64) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vector) {
          bytes.putFloat(v);
        }
        entry.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
      } else {
        ArrayNode values = entry.putArray("embedding");
        for (float v : vector) {
          values.add(v);
        }
      }
    }
    out.put("model", model.asText());
    out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return new Answer(out, tokens);
  }

  private static Answer geminiEmbed(JsonNode body, String pathModel) {
    JsonNode requests = body.path("requests");
    if (!requests.isArray() || requests.isEmpty()) {
      throw new ApiError.Refused(new ApiError(400, "INVALID_ARGUMENT", "* BatchEmbedContentsRequest.requests: requests is not specified\n"));
    }
    ObjectNode out = JSON.objectNode();
    ArrayNode embeddings = out.putArray("embeddings");
    int tokens = 0;
    for (int i = 0; i < requests.size(); i++) {
      JsonNode request = requests.get(i);
      if (!request.path("model").asText().equals("models/" + pathModel)) {
        throw new ApiError.Refused(new ApiError(400, "INVALID_ARGUMENT", "* BatchEmbedContentsRequest.requests["
            + i + "].model: model must be the same as the batch model models/" + pathModel + "\n"));
      }
      StringBuilder text = new StringBuilder();
      for (JsonNode part : request.path("content").path("parts")) {
        text.append(part.path("text").asText(""));
      }
      int dimensions = request.path("outputDimensionality").canConvertToInt()
          ? request.path("outputDimensionality").asInt() : DEFAULT_DIMENSIONS;
      tokens += FakeTokens.count(text.toString());
      ArrayNode values = embeddings.addObject().putArray("values");
      for (float v : vector(text.toString(), dimensions)) {
        values.add(v);
      }
    }
    return new Answer(out, tokens);
  }

  private static Answer anthropicCount(JsonNode body) {
    if (!body.isObject()) {
      throw new ApiError.Refused(ANTHROPIC.notJson());
    }
    for (String extra : List.of("max_tokens", "stream", "temperature")) {
      if (body.has(extra)) {
        throw new ApiError.Refused(new ApiError(400, "invalid_request_error", extra + ": Extra inputs are not permitted"));
      }
    }
    ObjectNode asMessages = ((ObjectNode) body).deepCopy().put("max_tokens", 1);
    int tokens = ANTHROPIC.parse(asMessages, null, false).inputTokens();
    return new Answer(JSON.objectNode().put("input_tokens", tokens), tokens);
  }

  private static Answer geminiCount(JsonNode body, String pathModel) {
    if (!body.isObject()) {
      throw new ApiError.Refused(GEMINI.notJson());
    }
    JsonNode generate = body.has("generateContentRequest") ? body.get("generateContentRequest") : body;
    int tokens = GEMINI.parse(generate, pathModel, false).inputTokens();
    return new Answer(JSON.objectNode().put("totalTokens", tokens), tokens);
  }

  private static JsonNode models(ProviderApi api) {
    return switch (api.name()) {
      case "anthropic" -> {
        ObjectNode out = JSON.objectNode();
        ArrayNode data = out.putArray("data");
        data.addObject().put("type", "model").put("id", "claude-sonnet-4-5-20250929")
            .put("display_name", "Claude Sonnet 4.5").put("created_at", "2025-09-29T00:00:00Z");
        data.addObject().put("type", "model").put("id", "claude-haiku-4-5-20251001")
            .put("display_name", "Claude Haiku 4.5").put("created_at", "2025-10-01T00:00:00Z");
        out.put("has_more", false).put("first_id", "claude-sonnet-4-5-20250929").put("last_id", "claude-haiku-4-5-20251001");
        yield out;
      }
      case "gemini" -> {
        ObjectNode out = JSON.objectNode();
        ArrayNode list = out.putArray("models");
        for (String name : List.of("gemini-2.5-flash", "gemini-embedding-001")) {
          ObjectNode model = list.addObject().put("name", "models/" + name).put("version", "001")
              .put("displayName", name.equals("gemini-2.5-flash") ? "Gemini 2.5 Flash" : "Gemini Embedding 001");
          model.putArray("supportedGenerationMethods")
              .add(name.startsWith("gemini-embedding") ? "embedContent" : "generateContent").add("countTokens");
        }
        yield out;
      }
      default -> {
        ObjectNode out = JSON.objectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        for (String id : List.of("gpt-4o", "gpt-4o-mini", "text-embedding-3-small")) {
          data.addObject().put("id", id).put("object", "model").put("created", 1_715_367_049).put("owned_by", "system");
        }
        yield out;
      }
    };
  }

  /** A unit vector that depends only on the text and the size. */
  static float[] vector(String text, int dimensions) {
    SplittableRandom random = new SplittableRandom(text.hashCode());
    float[] vector = new float[Math.max(1, dimensions)];
    double norm = 0;
    for (int i = 0; i < vector.length; i++) {
      vector[i] = (float) (random.nextDouble() * 2 - 1);
      norm += vector[i] * vector[i];
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < vector.length; i++) {
      vector[i] *= scale;
    }
    return vector;
  }
}
