package dev.tollway.edge.llm;

import static java.util.Objects.requireNonNull;

/**
 * A call of a tool by the model.
 *
 * @param id the call id, used by the tool result that answers it
 * @param name the function name
 * @param arguments the arguments as a JSON text (OpenAI's representation)
 */
public record ToolCall(String id, String name, String arguments) {
  public ToolCall {
    requireNonNull(id, "id");
    requireNonNull(name, "name");
    requireNonNull(arguments, "arguments");
  }
}
