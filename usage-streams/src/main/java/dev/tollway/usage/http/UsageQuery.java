package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A usage query: how to group and over which range. The range is half-open, {@code [from, to)}; every
 * minute window that overlaps it is summed in full.
 *
 * @param groupBy what rows are grouped by
 * @param from start of the range (inclusive)
 * @param to end of the range (exclusive)
 */
public record UsageQuery(GroupBy groupBy, Instant from, Instant to) {

  /** The range when {@code from} is not given: this long before {@code to}. */
  public static final Duration DEFAULT_RANGE = Duration.ofHours(1);

  public UsageQuery {
    requireNonNull(groupBy, "groupBy");
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("from " + from + " is after to " + to);
    }
  }

  /**
   * Reads the query parameters {@code groupBy} (default {@code model}), {@code from} (default: an hour
   * before {@code to}) and {@code to} (default: now). Other parameters are ignored.
   *
   * @throws ApiException {@link ApiError#INVALID_PARAMETER} naming the parameter and what was expected
   */
  public static UsageQuery parse(Map<String, Deque<String>> parameters, Instant now) {
    requireNonNull(parameters, "parameters");
    requireNonNull(now, "now");
    String groupByValue = single(parameters, "groupBy");
    GroupBy groupBy = GroupBy.MODEL;
    if (groupByValue != null) {
      groupBy =
          GroupBy.fromParameter(groupByValue)
              .orElseThrow(
                  () ->
                      invalid(
                          "groupBy: '" + groupByValue + "' (expected one of " + GroupBy.accepted() + ")"));
    }
    Instant to = instant(parameters, "to");
    Instant from = instant(parameters, "from");
    if (to == null) {
      to = from != null && from.isAfter(now) ? from : now;
    }
    if (from == null) {
      from = to.minus(DEFAULT_RANGE);
    }
    if (from.isAfter(to)) {
      throw invalid("from: " + from + " is after to: " + to + " (expected from to be at or before to)");
    }
    return new UsageQuery(groupBy, from, to);
  }

  private static @Nullable String single(Map<String, Deque<String>> parameters, String name) {
    return QueryParameters.single(parameters, name);
  }

  private static @Nullable Instant instant(Map<String, Deque<String>> parameters, String name) {
    return QueryParameters.instant(parameters, name);
  }

  private static ApiException invalid(String message) {
    return QueryParameters.invalid(message);
  }
}
