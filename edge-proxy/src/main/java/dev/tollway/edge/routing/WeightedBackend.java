package dev.tollway.edge.routing;

import static java.util.Objects.requireNonNull;

/**
 * A backend of a route with its weight.
 *
 * @param weight relative weight; 0 is never picked
 */
public record WeightedBackend(ResolvedBackend backend, int weight) {
  public WeightedBackend {
    requireNonNull(backend, "backend");
    if (weight < 0) {
      throw new IllegalArgumentException("weight: " + weight + " (expected: 0 or more)");
    }
  }
}
