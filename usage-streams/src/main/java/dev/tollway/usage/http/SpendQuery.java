package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Deque;
import java.util.Map;

/**
 * A spend query: how to group, over which range, and whether to split rows per day. The range is
 * half-open, {@code [from, to)}; every day that overlaps it is counted in full (the store holds days).
 *
 * @param groupBy what rows are grouped by
 * @param from start of the range (inclusive)
 * @param to end of the range (exclusive)
 * @param perDay whether each row is one group on one day ({@code interval=day}) rather than one group over
 *     the range
 */
public record SpendQuery(SpendGroupBy groupBy, Instant from, Instant to, boolean perDay) {

  /** The range when {@code from} is not given: this long before {@code to}. */
  public static final Duration DEFAULT_RANGE = Duration.ofDays(30);

  public SpendQuery {
    requireNonNull(groupBy, "groupBy");
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("from " + from + " is after to " + to);
    }
  }

  /**
   * Reads {@code groupBy} (default {@code model}), {@code from} (default: 30 days before {@code to}),
   * {@code to} (default: now) — instants, or dates meaning their midnight in {@code zone} — and
   * {@code interval} (absent, or {@code day}). Other parameters are ignored.
   *
   * @throws ApiException {@link ApiError#INVALID_PARAMETER} naming the parameter and what was expected
   */
  public static SpendQuery parse(Map<String, Deque<String>> parameters, Instant now, ZoneId zone) {
    requireNonNull(parameters, "parameters");
    requireNonNull(now, "now");
    requireNonNull(zone, "zone");
    String groupByValue = QueryParameters.single(parameters, "groupBy");
    SpendGroupBy groupBy = SpendGroupBy.MODEL;
    if (groupByValue != null) {
      groupBy =
          SpendGroupBy.fromParameter(groupByValue)
              .orElseThrow(
                  () ->
                      QueryParameters.invalid(
                          "groupBy: '" + groupByValue + "' (expected one of " + SpendGroupBy.accepted() + ")"));
    }
    String interval = QueryParameters.single(parameters, "interval");
    if (interval != null && !interval.equals("day")) {
      throw QueryParameters.invalid("interval: '" + interval + "' (expected day, or no interval)");
    }
    Instant to = QueryParameters.instantOrDate(parameters, "to", zone);
    Instant from = QueryParameters.instantOrDate(parameters, "from", zone);
    if (to == null) {
      to = from != null && from.isAfter(now) ? from : now;
    }
    if (from == null) {
      from = to.minus(DEFAULT_RANGE);
    }
    if (from.isAfter(to)) {
      throw QueryParameters.invalid(
          "from: " + from + " is after to: " + to + " (expected from to be at or before to)");
    }
    return new SpendQuery(groupBy, from, to, interval != null);
  }
}
