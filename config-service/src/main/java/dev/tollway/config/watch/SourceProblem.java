package dev.tollway.config.watch;

import static java.util.Objects.requireNonNull;

/**
 * Something a source could not read, or read with a caveat, reported in the source's terms.
 *
 * @param location where: {@code llm/03-httproute.yaml#0} (file relative to the folder, 0-based document
 *     index)
 * @param message what is wrong
 */
public record SourceProblem(String location, String message) {

  public SourceProblem {
    requireNonNull(location, "location");
    requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return location + ": " + message;
  }
}
