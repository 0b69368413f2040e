package dev.tollway.edge.provider.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * The kept fields are built straight from the parser's tokens into the nodes that {@code readTree} would make
 * (without its per-call deserialization context, which cost more than the fields themselves).
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
          kept.set(name, node(parser, value));
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

  /**
   * The value whose first token is {@code token}, as {@code readTree} builds it: a later duplicate key
   * replaces an earlier one; integers are int, long or big-integer nodes by size, other numbers doubles.
   * Recursion is bounded by the parser's nesting limit.
   */
  private static JsonNode node(JsonParser parser, @Nullable JsonToken token) throws IOException {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    if (token == null) {
      throw new IOException("the answer ends inside a value");
    }
    switch (token) {
      case START_OBJECT -> {
        ObjectNode object = nodes.objectNode();
        JsonToken next;
        while ((next = parser.nextToken()) == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          object.set(field, node(parser, parser.nextToken()));
        }
        if (next != JsonToken.END_OBJECT) {
          throw new IOException("the answer ends inside an object");
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = nodes.arrayNode();
        JsonToken next;
        while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
          array.add(node(parser, next));
        }
        return array;
      }
      case VALUE_STRING -> {
        return nodes.textNode(parser.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (parser.getNumberType()) {
          case INT -> nodes.numberNode(parser.getIntValue());
          case LONG -> nodes.numberNode(parser.getLongValue());
          default -> nodes.numberNode(parser.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return nodes.numberNode(parser.getDoubleValue());
      }
      case VALUE_TRUE -> {
        return nodes.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return nodes.booleanNode(false);
      }
      case VALUE_NULL -> {
        return nodes.nullNode();
      }
      default -> throw new IOException("unexpected " + token + " in the answer");
    }
  }
}
