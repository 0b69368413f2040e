package dev.tollway.edge.provider.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.schemas.serde.Json;
import java.util.Optional;

/**
 * Tool-call arguments: OpenAI carries them as a JSON text, Anthropic ({@code input}) and Gemini
 * ({@code args}) as a JSON object.
 */
public final class ToolArguments {

  /** Reads one whole JSON value: trailing text ({@code 18 degrees}) is an error, not ignored. */
  private static final ObjectReader STRICT =
      Json.mapper().readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ToolArguments() {}

  /** The JSON value of a whole text, if the text is exactly one JSON value. */
  public static Optional<JsonNode> parseValue(String text) {
    if (text.isBlank()) {
      return Optional.empty();
    }
    try {
      JsonNode node = STRICT.readValue(text);
      return node == null || node.isMissingNode() ? Optional.empty() : Optional.of(node);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** The arguments as an object; empty arguments are an empty object; anything else that is not a JSON object is empty. */
  public static Optional<ObjectNode> parse(String arguments) {
    if (arguments.isBlank()) {
      return Optional.of(Json.mapper().createObjectNode());
    }
    return parseValue(arguments).filter(ObjectNode.class::isInstance).map(ObjectNode.class::cast);
  }

  /** The JSON text of an arguments object. */
  public static String text(JsonNode arguments) {
    return arguments.isMissingNode() || arguments.isNull() ? "{}" : arguments.toString();
  }
}
