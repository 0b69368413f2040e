package dev.tollway.edge.llm;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * How the model may use tools.
 *
 * @param mode auto, none, required (any tool), or one named tool
 * @param name the tool for {@link Mode#tool}
 * @param parallel whether parallel tool calls are allowed, if the client said
 */
public record ToolChoice(Mode mode, @Nullable String name, @Nullable Boolean parallel) {
  public ToolChoice {
    requireNonNull(mode, "mode");
  }

  /** Tool choice modes. */
  public enum Mode {
    auto,
    none,
    required,
    tool
  }
}
