package dev.tollway.usage.topology;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The tunable parts of the topology.
 *
 * @param grace how long after a minute ends a late event still counts in it
 * @param retention how long minute windows stay in the store (and queryable)
 */
public record TopologySettings(Duration grace, Duration retention) {

  public TopologySettings {
    requireNonNull(grace, "grace");
    requireNonNull(retention, "retention");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace: " + grace + " (expected: zero or more)");
    }
    Duration minimum = UsageTopology.WINDOW_SIZE.plus(grace);
    if (retention.compareTo(minimum) < 0) {
      throw new IllegalArgumentException(
          "retention: " + retention + " (expected: at least the window plus the grace, " + minimum + ")");
    }
  }

  /**
   * How long an event id is remembered for deduplication: the window, plus twice the grace so that a
   * duplicate is still recognised when it arrives as late as the aggregation would accept it, with margin
   * for the aggregation's stream time running behind the deduplicator's.
   */
  public Duration dedupRetention() {
    return UsageTopology.WINDOW_SIZE.plus(grace).plus(grace);
  }
}
