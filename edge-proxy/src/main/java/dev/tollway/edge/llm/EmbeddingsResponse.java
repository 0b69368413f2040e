package dev.tollway.edge.llm;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
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
}
