package dev.tollway.usage.topology;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.ZoneId;

/**
 * The tunable parts of the topology.
 *
 * @param grace how long after a window (a minute, a day of spend) ends a late event still counts in it; also
 *     how late, after the newest event seen, an event may arrive at all (see {@link #dedupRetention()})
 * @param retention how long minute windows stay in the store (and queryable)
 * @param spendZone the time zone of the days of daily spend
 * @param spendRetention how long daily spend stays in the store (and queryable)
 * @param quotaCheckInterval how often, in wall-clock time, blocked subjects are checked for a window that
 *     rolled over or a budget that was raised or removed
 * @param preAggregation how long each task sums events per group before it sends the sums through the
 *     repartitions to the aggregations (zero: every event on its own, at once)
 */
public record TopologySettings(
    Duration grace,
    Duration retention,
    ZoneId spendZone,
    Duration spendRetention,
    Duration quotaCheckInterval,
    Duration preAggregation) {

  /** The default retention of daily spend, as long as the daily spend topic keeps it. */
  public static final Duration DEFAULT_SPEND_RETENTION = Duration.ofDays(400);

  /** The default wall-clock interval of the quota checks. */
  public static final Duration DEFAULT_QUOTA_CHECK_INTERVAL = Duration.ofSeconds(1);

  /** The default pre-aggregation interval. */
  public static final Duration DEFAULT_PRE_AGGREGATION = Duration.ofMillis(100);

  public TopologySettings {
    requireNonNull(grace, "grace");
    requireNonNull(retention, "retention");
    requireNonNull(spendZone, "spendZone");
    requireNonNull(spendRetention, "spendRetention");
    requireNonNull(quotaCheckInterval, "quotaCheckInterval");
    requireNonNull(preAggregation, "preAggregation");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace: " + grace + " (expected: zero or more)");
    }
    Duration minimum = UsageTopology.WINDOW_SIZE.plus(grace);
    if (retention.compareTo(minimum) < 0) {
      throw new IllegalArgumentException(
          "retention: " + retention + " (expected: at least the window plus the grace, " + minimum + ")");
    }
    Duration minimumSpend = Duration.ofDays(1).plus(grace);
    if (spendRetention.compareTo(minimumSpend) < 0) {
      throw new IllegalArgumentException(
          "spendRetention: " + spendRetention + " (expected: at least a day plus the grace, " + minimumSpend + ")");
    }
    if (quotaCheckInterval.isNegative() || quotaCheckInterval.isZero()) {
      throw new IllegalArgumentException("quotaCheckInterval: " + quotaCheckInterval + " (expected: a positive duration)");
    }
    if (preAggregation.isNegative()) {
      throw new IllegalArgumentException("preAggregation: " + preAggregation + " (expected: zero or more)");
    }
  }

  /** Settings with UTC days, the default spend retention, quota check interval and pre-aggregation. */
  public TopologySettings(Duration grace, Duration retention) {
    this(grace, retention, ZoneId.of("UTC"), DEFAULT_SPEND_RETENTION, DEFAULT_QUOTA_CHECK_INTERVAL, DEFAULT_PRE_AGGREGATION);
  }

  /**
   * How long an event id is remembered for deduplication, and so how late an event may arrive at all: the
   * minute window plus twice the grace. An event older than this behind the newest event seen on its
   * partition is dropped, because a copy of it could no longer be recognised; so every output — minutes,
   * daily spend, budget totals — counts each event at most once, whatever its window's length.
   */
  public Duration dedupRetention() {
    return UsageTopology.WINDOW_SIZE.plus(grace).plus(grace);
  }
}
