package dev.tollway.edge.routing;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** Weighted random choice among a route's backends (Gateway API {@code backendRefs[].weight}). */
public final class BackendSelector {

  private BackendSelector() {}

  /** Picks a backend with probability proportional to its weight; empty when every weight is 0. */
  public static Optional<ResolvedBackend> select(List<WeightedBackend> backends, RandomGenerator random) {
    long total = 0;
    for (WeightedBackend backend : backends) {
      total += backend.weight();
    }
    if (total == 0) {
      return Optional.empty();
    }
    long pick = random.nextLong(total);
    for (WeightedBackend backend : backends) {
      if (pick < backend.weight()) {
        return Optional.of(backend.backend());
      }
      pick -= backend.weight();
    }
    throw new IllegalStateException("unreachable: pick beyond the total weight");
  }
}
