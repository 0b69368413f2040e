package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
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

  private static final Instant EARLIEST = Instant.EPOCH;
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

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
    Deque<String> values = parameters.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw invalid(name + ": given " + values.size() + " times (expected it once)");
    }
    String value = values.getFirst();
    if (value.isBlank()) {
      throw invalid(name + ": empty (expected a value)");
    }
    return value.trim();
  }

  private static @Nullable Instant instant(Map<String, Deque<String>> parameters, String name) {
    String value = single(parameters, name);
    if (value == null) {
      return null;
    }
    Instant instant;
    try {
      // an unencoded "+" of an offset arrives as a space; nothing else in an instant can be one
      instant = OffsetDateTime.parse(value.replace(' ', '+')).toInstant();
    } catch (DateTimeParseException e) {
      throw invalid(
          name + ": '" + value + "' (expected an ISO-8601 instant such as 2026-11-26T17:00:00Z)");
    }
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw invalid(name + ": '" + value + "' (expected an instant between " + EARLIEST + " and " + LATEST + ")");
    }
    return instant;
  }

  private static ApiException invalid(String message) {
    return new ApiException(ApiError.INVALID_PARAMETER, message);
  }
}
