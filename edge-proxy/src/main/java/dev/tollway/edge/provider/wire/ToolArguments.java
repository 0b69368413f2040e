package dev.tollway.edge.provider.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.schemas.serde.Json;
import java.util.Optional;

/**
 * Tool-call arguments: OpenAI carries them as a JSON text, Anthropic ({@code input}) and Gemini
 * ({@code args}) as a JSON object.
 */
public final class ToolArguments {

  private ToolArguments() {}

  /** The arguments as an object; empty arguments are an empty object; anything else that is not a JSON object is empty. */
  public static Optional<ObjectNode> parse(String arguments) {
    if (arguments.isBlank()) {
      return Optional.of(Json.mapper().createObjectNode());
    }
    try {
      JsonNode node = Json.mapper().readTree(arguments);
      return node instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** The JSON text of an arguments object. */
  public static String text(JsonNode arguments) {
    return arguments.isMissingNode() || arguments.isNull() ? "{}" : arguments.toString();
  }
}
