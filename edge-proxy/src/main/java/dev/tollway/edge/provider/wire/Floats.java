package dev.tollway.edge.provider.wire;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/** Embedding vectors as providers write them: a JSON array of numbers. */
public final class Floats {

  private Floats() {}

  /**
   * The numbers of a JSON array.
   *
   * @throws dev.tollway.edge.error.GatewayException {@code UPSTREAM_ERROR} naming the provider when it is not
   *     an array of numbers
   */
  public static float[] of(@Nullable JsonNode array, String provider) {
    if (array == null || !array.isArray()) {
      throw UpstreamErrors.malformed(provider, "an embedding that is not an array of numbers");
    }
    float[] vector = new float[array.size()];
    for (int i = 0; i < vector.length; i++) {
      JsonNode value = array.get(i);
      if (!value.isNumber()) {
        throw UpstreamErrors.malformed(provider, "an embedding that is not an array of numbers");
      }
      vector[i] = value.floatValue();
    }
    return vector;
  }
}
