package dev.tollway.config.watch;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.model.ClusterState;
import java.util.List;

/**
 * What a source read: the resources, and what it had to skip or warn about.
 *
 * @param state the resources
 * @param problems documents that were skipped and other caveats, in reading order
 */
public record SourceState(ClusterState state, List<SourceProblem> problems) {

  public SourceState {
    requireNonNull(state, "state");
    problems = List.copyOf(problems);
  }
}
