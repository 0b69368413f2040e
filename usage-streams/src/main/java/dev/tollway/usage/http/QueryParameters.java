package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Deque;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Reading and validating query parameters, with error messages that name the parameter. */
final class QueryParameters {

  static final Instant EARLIEST = Instant.EPOCH;
  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private QueryParameters() {}

  /**
   * The one value of a parameter, trimmed; null when absent.
   *
   * @throws ApiException when given more than once or empty
   */
  static @Nullable String single(Map<String, Deque<String>> parameters, String name) {
    requireNonNull(parameters, "parameters");
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

  /** An ISO-8601 instant; null when absent. */
  static @Nullable Instant instant(Map<String, Deque<String>> parameters, String name) {
    String value = single(parameters, name);
    if (value == null) {
      return null;
    }
    Instant instant = parseInstant(value);
    if (instant == null) {
      throw invalid(name + ": '" + value + "' (expected an ISO-8601 instant such as 2026-11-26T17:00:00Z)");
    }
    return inRange(name, value, instant);
  }

  /**
   * An ISO-8601 instant, or a date meaning its midnight in {@code zone}; null when absent.
   */
  static @Nullable Instant instantOrDate(Map<String, Deque<String>> parameters, String name, ZoneId zone) {
    String value = single(parameters, name);
    if (value == null) {
      return null;
    }
    Instant instant = null;
    if (DATE.matcher(value).matches()) {
      try {
        instant = LocalDate.parse(value).atStartOfDay(zone).toInstant();
      } catch (DateTimeParseException e) {
        instant = null;
      }
    } else {
      instant = parseInstant(value);
    }
    if (instant == null) {
      throw invalid(
          name + ": '" + value + "' (expected an ISO-8601 instant such as 2026-11-26T17:00:00Z or a date such as 2026-11-26)");
    }
    return inRange(name, value, instant);
  }

  static ApiException invalid(String message) {
    return new ApiException(ApiError.INVALID_PARAMETER, message);
  }

  private static @Nullable Instant parseInstant(String value) {
    try {
      // an unencoded "+" of an offset arrives as a space; nothing else in an instant can be one
      return OffsetDateTime.parse(value.replace(' ', '+')).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Instant inRange(String name, String value, Instant instant) {
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw invalid(name + ": '" + value + "' (expected an instant between " + EARLIEST + " and " + LATEST + ")");
    }
    return instant;
  }
}
