package dev.tollway.usage.topology;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import org.apache.kafka.streams.kstream.Window;
import org.apache.kafka.streams.kstream.Windows;

/**
 * Calendar days in a time zone as Kafka Streams windows: each record falls in the one day that contains its
 * time, from local midnight to the next local midnight (23 or 25 hours on daylight-saving changes).
 *
 * <p>{@link #size()} says 24 hours because Kafka Streams wants one number; it is only used to size the store
 * and to give windows read back from the store an end. Read a window's day from its start with
 * {@link #dayOf(long)}, never from its end.
 */
final class ZonedDayWindows extends Windows<ZonedDayWindows.Day> {

  private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

  private final ZoneId zone;
  private final long graceMillis;

  ZonedDayWindows(ZoneId zone, Duration grace) {
    this.zone = requireNonNull(zone, "zone");
    this.graceMillis = requireNonNull(grace, "grace").toMillis();
  }

  @Override
  public Map<Long, Day> windowsFor(long timestamp) {
    ZonedDateTime start = Instant.ofEpochMilli(timestamp).atZone(zone).toLocalDate().atStartOfDay(zone);
    long startMillis = start.toInstant().toEpochMilli();
    return Map.of(startMillis, new Day(startMillis, start.plusDays(1).toInstant().toEpochMilli()));
  }

  /** The start of the day {@code timestamp} falls in. */
  long startOf(long timestamp) {
    return Instant.ofEpochMilli(timestamp).atZone(zone).toLocalDate().atStartOfDay(zone).toInstant().toEpochMilli();
  }

  @Override
  public long size() {
    return DAY_MILLIS;
  }

  @Override
  public long gracePeriodMs() {
    return graceMillis;
  }

  /** The day of a window that starts at {@code windowStart}. */
  LocalDate dayOf(long windowStart) {
    return Instant.ofEpochMilli(windowStart).atZone(zone).toLocalDate();
  }

  ZoneId zone() {
    return zone;
  }

  /** One calendar day. */
  static final class Day extends Window {

    Day(long startMs, long endMs) {
      super(startMs, endMs);
    }

    @Override
    public boolean overlap(Window other) {
      return startMs < other.end() && other.start() < endMs;
    }
  }
}
