package dev.tollway.usage.quota;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.budget.Budget;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * The shape of a budget window, shared by every budget with the same window and time zone (they share
 * running totals).
 *
 * <ul>
 *   <li>{@code day} and {@code month} are calendar windows in {@link #zone()}: from midnight to midnight,
 *       from the first of the month to the first of the next, daylight-saving days included (23 or 25 hours).
 *       Usage is kept as one bucket per window.
 *   <li>{@code minute} and {@code hour} are rolling: the usage of the last minute or hour, whatever the zone.
 *       Usage is kept in buckets of one second (minute) or one minute (hour), so the window slides by that
 *       step.
 * </ul>
 *
 * @param window the budget window
 * @param zone the time zone of a calendar window; UTC for rolling windows
 */
public record WindowSpec(Budget.Window window, ZoneId zone) {

  public WindowSpec {
    requireNonNull(window, "window");
    requireNonNull(zone, "zone");
    if (isRolling(window)) {
      zone = ZoneOffset.UTC;
    }
  }

  public boolean rolling() {
    return isRolling(window);
  }

  /** A stable name of the shape: {@code minute}, {@code hour}, {@code day@Europe/Paris}, {@code month@UTC}. */
  public String id() {
    return rolling() ? window.name() : window.name() + "@" + zone.getId();
  }

  /** The shape named by {@link #id()}; empty when {@code id} names none. */
  public static Optional<WindowSpec> parse(String id) {
    requireNonNull(id, "id");
    int at = id.indexOf('@');
    String window = at < 0 ? id : id.substring(0, at);
    try {
      Budget.Window parsed = Budget.Window.valueOf(window);
      ZoneId zone = at < 0 ? ZoneOffset.UTC : ZoneId.of(id.substring(at + 1));
      if (isRolling(parsed) != (at < 0)) {
        return Optional.empty();
      }
      return Optional.of(new WindowSpec(parsed, zone));
    } catch (IllegalArgumentException | DateTimeException e) {
      return Optional.empty();
    }
  }

  /** The length of a rolling window. */
  public Duration length() {
    return switch (window) {
      case minute -> Duration.ofMinutes(1);
      case hour -> Duration.ofHours(1);
      default -> throw new IllegalStateException(window + " is a calendar window");
    };
  }

  /** The width of one bucket: a second for a rolling minute, a minute for a rolling hour, else the window. */
  public long bucketMillis() {
    return switch (window) {
      case minute -> 1_000L;
      case hour -> 60_000L;
      default -> throw new IllegalStateException(window + " keeps one bucket per window");
    };
  }

  /** The start of the bucket a usage at {@code timeMs} is added to. */
  public long bucketStart(long timeMs) {
    if (rolling()) {
      return Math.floorDiv(timeMs, bucketMillis()) * bucketMillis();
    }
    return calendarWindow(timeMs).start().toEpochMilli();
  }

  /** The calendar window that contains {@code timeMs}. */
  public Interval calendarWindow(long timeMs) {
    ZonedDateTime at = Instant.ofEpochMilli(timeMs).atZone(zone);
    ZonedDateTime start =
        switch (window) {
          case day -> at.toLocalDate().atStartOfDay(zone);
          case month -> at.toLocalDate().withDayOfMonth(1).atStartOfDay(zone);
          default -> throw new IllegalStateException(window + " is a rolling window");
        };
    ZonedDateTime end = window == Budget.Window.day ? start.plusDays(1) : start.plusMonths(1);
    return new Interval(start.toInstant(), end.toInstant());
  }

  /**
   * Whether the bucket starting at {@code bucketStart} can still count at {@code nowMs}: a calendar window
   * that has not ended, or a rolling bucket not yet slid out.
   */
  public boolean isLive(long bucketStart, long nowMs) {
    if (rolling()) {
      return bucketStart + bucketMillis() + length().toMillis() > nowMs;
    }
    return calendarWindow(bucketStart).end().toEpochMilli() > nowMs;
  }

  private static boolean isRolling(Budget.Window window) {
    return window == Budget.Window.minute || window == Budget.Window.hour;
  }

  /**
   * A time range {@code [start, end)}.
   *
   * @param start inclusive
   * @param end exclusive
   */
  public record Interval(Instant start, Instant end) {
    public Interval {
      requireNonNull(start, "start");
      requireNonNull(end, "end");
    }
  }
}
