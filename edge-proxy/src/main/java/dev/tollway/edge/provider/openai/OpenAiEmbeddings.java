package dev.tollway.edge.provider.openai;

import static dev.tollway.edge.provider.wire.Fields.invalid;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.EmbeddingsFormat;
import dev.tollway.edge.llm.EmbeddingsRequest;
import dev.tollway.edge.llm.EmbeddingsResponse;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.EmbeddingsApi;
import dev.tollway.edge.provider.Endpoints;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.edge.provider.wire.Floats;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.Provider;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI's embeddings API ({@code POST /v1/embeddings}), as the client API and as a provider's (OpenAI,
 * Azure OpenAI, any OpenAI-compatible server). {@code input} is a string, an array of strings, or token ids
 * (an array of integers, or an array of such arrays); {@code encoding_format} {@code float} (the default)
 * or {@code base64} (little-endian float32, as OpenAI writes it); {@code dimensions}; {@code user}.
 */
public final class OpenAiEmbeddings implements EmbeddingsApi {

  private final BiFunction<Provider, String, UpstreamTarget> target;

  /** @param target where a request for a model goes on a provider */
  public OpenAiEmbeddings(BiFunction<Provider, String, UpstreamTarget> target) {
    this.target = requireNonNull(target, "target");
  }

  /** The API at {@code defaultBase + rest} of {@code defaultHost}, after the provider's overrides. */
  static OpenAiEmbeddings at(String defaultHost, String defaultBase, String rest) {
    return new OpenAiEmbeddings(
        (provider, model) -> Endpoints.beside(provider, defaultHost, defaultBase, "/chat/completions", rest));
  }

  // ---- client side -------------------------------------------------------------------------------------

  /**
   * Decodes a client's request.
   *
   * @throws dev.tollway.edge.error.GatewayException {@code INVALID_REQUEST} naming the field
   */
  public static EmbeddingsRequest decodeRequest(JsonNode input) {
    ObjectNode body = Fields.body(input);
    String model = Fields.optString(body, "model", "model");
    JsonNode value = Fields.required(body, "input", "input");
    List<String> texts = new ArrayList<>();
    boolean tokens = false;
    if (value.isTextual()) {
      texts.add(nonEmpty(value.textValue(), "input"));
    } else if (value.isArray()) {
      if (value.isEmpty()) {
        throw invalid("input", "expected at least one input");
      }
      JsonNode first = value.get(0);
      if (first.isTextual()) {
        for (int i = 0; i < value.size(); i++) {
          JsonNode item = value.get(i);
          if (!item.isTextual()) {
            throw invalid("input[" + i + "]", "expected a string (every input of the array)");
          }
          texts.add(nonEmpty(item.textValue(), "input[" + i + "]"));
        }
      } else if (first.isIntegralNumber()) {
        tokens = true;
        tokenIds(value, "input");
      } else if (first.isArray()) {
        tokens = true;
        for (int i = 0; i < value.size(); i++) {
          if (!value.get(i).isArray() || value.get(i).isEmpty()) {
            throw invalid("input[" + i + "]", "expected a non-empty array of token ids");
          }
          tokenIds(value.get(i), "input[" + i + "]");
        }
      } else {
        throw invalid("input", "expected a string, an array of strings, or token ids");
      }
    } else {
      throw invalid("input", "expected a string, an array of strings, or token ids");
    }
    boolean base64 = false;
    if (Fields.present(body, "encoding_format")) {
      base64 = Fields.oneOf(body.get("encoding_format"), "encoding_format", List.of("float", "base64")).equals("base64");
    }
    Long dimensions = Fields.optPositiveLong(body, "dimensions", "dimensions");
    if (dimensions != null && dimensions > 65_536) {
      throw invalid("dimensions", "expected at most 65536");
    }
    return new EmbeddingsRequest(
        model, texts, tokens, dimensions == null ? null : dimensions.intValue(), base64,
        Fields.optString(body, "user", "user"), EmbeddingsFormat.OPENAI, body);
  }

  /** Encodes an answer for a client: the provider's own body when it is OpenAI's, else built. */
  public static ObjectNode encodeResponse(EmbeddingsResponse response, EmbeddingsRequest request) {
    if (response.format() == EmbeddingsFormat.OPENAI && response.original() instanceof ObjectNode original) {
      return original.deepCopy();
    }
    ObjectNode body = Json.mapper().createObjectNode().put("object", "list");
    ArrayNode data = body.putArray("data");
    for (int i = 0; i < response.vectors().size(); i++) {
      ObjectNode entry = data.addObject().put("object", "embedding").put("index", i);
      float[] vector = response.vectors().get(i);
      if (request.base64()) {
        entry.put("embedding", base64(vector));
      } else {
        ArrayNode values = entry.putArray("embedding");
        for (float v : vector) {
          values.add(v);
        }
      }
    }
    String model = response.model() != null ? response.model() : request.model();
    if (model != null) {
      body.put("model", model);
    }
    long tokens = response.usage() == null ? 0 : response.usage().input();
    body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return body;
  }

  /** A vector as OpenAI's base64: little-endian float32. */
  static String base64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : vector) {
      bytes.putFloat(v);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  // ---- provider side -----------------------------------------------------------------------------------

  @Override
  public EmbeddingsFormat format() {
    return EmbeddingsFormat.OPENAI;
  }

  @Override
  public UpstreamTarget target(Provider provider, String model) {
    return target.apply(provider, model);
  }

  @Override
  public ObjectNode encodeRequest(EmbeddingsRequest request) {
    if (request.format() == EmbeddingsFormat.OPENAI && request.original() instanceof ObjectNode original) {
      ObjectNode body = original.deepCopy();
      if (request.model() != null) {
        body.put("model", request.model());
      }
      return body;
    }
    ObjectNode body = Json.mapper().createObjectNode();
    if (request.model() != null) {
      body.put("model", request.model());
    }
    ArrayNode input = body.putArray("input");
    request.texts().forEach(input::add);
    if (request.dimensions() != null) {
      body.put("dimensions", request.dimensions());
    }
    body.put("encoding_format", "float");
    if (request.user() != null) {
      body.put("user", request.user());
    }
    return body;
  }

  @Override
  public EmbeddingsResponse decodeResponse(JsonNode body, EmbeddingsRequest request) {
    JsonNode data = body.get("data");
    if (!body.isObject() || data == null || !data.isArray()) {
      throw UpstreamErrors.malformed("openai", "an embeddings answer without data");
    }
    float[][] vectors = new float[data.size()][];
    for (int i = 0; i < data.size(); i++) {
      JsonNode entry = data.get(i);
      JsonNode index = entry.get("index");
      int at = index != null && index.canConvertToInt() ? index.intValue() : i;
      if (at < 0 || at >= vectors.length || vectors[at] != null) {
        throw UpstreamErrors.malformed("openai", "an embeddings answer with a wrong index");
      }
      vectors[at] = vector(entry.get("embedding"));
    }
    if (vectors.length != request.inputCount()) {
      throw UpstreamErrors.malformed("openai",
          vectors.length + " embeddings for " + request.inputCount() + " inputs");
    }
    JsonNode usage = body.get("usage");
    TokenCounts counts = usage == null || !usage.isObject()
        ? null
        : new TokenCounts(Fields.count(usage, "prompt_tokens"), 0, 0, 0, 0);
    return new EmbeddingsResponse(Fields.text(body, "model"), List.of(vectors), counts, EmbeddingsFormat.OPENAI, body);
  }

  private static float[] vector(@Nullable JsonNode embedding) {
    if (embedding != null && embedding.isTextual()) {
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(embedding.textValue());
      } catch (IllegalArgumentException e) {
        throw UpstreamErrors.malformed("openai", "an embedding that is not base64");
      }
      ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      float[] vector = new float[bytes.length / 4];
      for (int i = 0; i < vector.length; i++) {
        vector[i] = buffer.getFloat();
      }
      return vector;
    }
    return Floats.of(embedding, "openai");
  }

  private static String nonEmpty(String text, String path) {
    if (text.isEmpty()) {
      throw invalid(path, "expected a non-empty string");
    }
    return text;
  }

  private static void tokenIds(JsonNode array, String path) {
    for (int i = 0; i < array.size(); i++) {
      if (!array.get(i).isIntegralNumber() || array.get(i).longValue() < 0) {
        throw invalid(path + "[" + i + "]", "expected a token id (a non-negative integer)");
      }
    }
  }
}
