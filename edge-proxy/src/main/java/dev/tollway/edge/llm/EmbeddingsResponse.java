package dev.tollway.edge.llm;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An embeddings answer in provider-neutral form.
 *
 * @param model the model that answered, if the provider said
 * @param vectors one vector per input, in the order of the inputs
 * @param usage the input tokens, if the provider reported them
 * @param format the wire format the answer was decoded from
 * @param original the provider's body as received
 */
public record EmbeddingsResponse(
    @Nullable String model, List<float[]> vectors, @Nullable TokenCounts usage, EmbeddingsFormat format, JsonNode original) {

  public EmbeddingsResponse {
    vectors = List.copyOf(vectors);
    requireNonNull(format, "format");
    requireNonNull(original, "original");
  }

  /**
   * The answers of the calls one request was split into, in the order of their inputs, as one answer: the
   * vectors one after the other, the token counts summed (absent when any call reported none), the first
   * model named, and as the original an array of the providers' bodies.
   *
   * @throws IllegalArgumentException without answers, or for answers of different formats
   */
  public static EmbeddingsResponse joined(List<EmbeddingsResponse> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("no answers to join");
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    EmbeddingsFormat format = parts.get(0).format();
    List<float[]> vectors = new ArrayList<>();
    ArrayNode originals = JsonNodeFactory.instance.arrayNode();
    String model = null;
    long input = 0;
    boolean counted = true;
    for (EmbeddingsResponse part : parts) {
      if (part.format() != format) {
        throw new IllegalArgumentException("answers of formats " + format + " and " + part.format());
      }
      vectors.addAll(part.vectors());
      originals.add(part.original());
      if (model == null) {
        model = part.model();
      }
      if (part.usage() == null) {
        counted = false;
      } else {
        input += part.usage().input();
      }
    }
    return new EmbeddingsResponse(
        model, vectors, counted ? new TokenCounts(input, 0, 0, 0, 0) : null, format, originals);
  }
}
