package dev.tollway.edge.llm;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * A function the model may call.
 *
 * @param name the function name
 * @param description what it does
 * @param parameters JSON Schema of its arguments
 */
public record ToolDefinition(String name, @Nullable String description, JsonNode parameters) {
  public ToolDefinition {
    requireNonNull(name, "name");
    requireNonNull(parameters, "parameters");
  }
}
