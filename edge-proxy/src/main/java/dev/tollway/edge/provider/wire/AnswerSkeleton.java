package dev.tollway.edge.provider.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.schemas.serde.Json;
import java.io.IOException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the proxy needs of an answer it relays unchanged (client and provider speak the same API): its model
 * and token counts, read with a streaming parser that keeps only {@code model}, {@code modelVersion},
 * {@code usage} and {@code usageMetadata} and skips everything else (the generated content above all) without
 * building it. The whole document is still tokenized, so an answer that is not well-formed JSON is told apart.
 */
public final class AnswerSkeleton {

  private static final Set<String> KEPT = Set.of("model", "modelVersion", "usage", "usageMetadata");

  private AnswerSkeleton() {}

  /** The kept fields of a JSON object, or null when the bytes are not one well-formed JSON object. */
  public static @Nullable ObjectNode parse(byte[] body) {
    if (body.length == 0) {
      return null;
    }
    try (JsonParser parser = Json.mapper().getFactory().createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      ObjectNode kept = JsonNodeFactory.instance.objectNode();
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (KEPT.contains(name)) {
          JsonNode node = Json.mapper().readTree(parser);
          kept.set(name, node);
        } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          parser.skipChildren();
        }
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        return null;
      }
      return kept;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
