package dev.tollway.usage.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.schemas.budget.Budget;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class WindowSpecTest {

  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  @Test
  void shouldMakeCalendarDaysOfTwentyThreeAndTwentyFiveHoursAroundDaylightSavingChanges() {
    // Given
    WindowSpec day = new WindowSpec(Budget.Window.day, PARIS);

    // When the clocks go forward (29 March 2026) and back (25 October 2026)
    WindowSpec.Interval spring = day.calendarWindow(millis("2026-03-29T12:00:00Z"));
    WindowSpec.Interval autumn = day.calendarWindow(millis("2026-10-25T12:00:00Z"));

    // Then
    assertThat(spring).isEqualTo(interval("2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"));
    assertThat(autumn).isEqualTo(interval("2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"));
  }

  @Test
  void shouldRunMonthsFromTheFirstToTheFirstInTheZone() {
    // Given
    WindowSpec month = new WindowSpec(Budget.Window.month, PARIS);

    // When just after midnight on 1 December in Paris, which is still 30 November in UTC
    WindowSpec.Interval december = month.calendarWindow(millis("2026-11-30T23:30:00Z"));

    // Then
    assertThat(december).isEqualTo(interval("2026-11-30T23:00:00Z", "2026-12-31T23:00:00Z"));
  }

  @Test
  void shouldBucketRollingWindowsBySecondsAndMinutesWhateverTheZone() {
    // Given
    WindowSpec minute = new WindowSpec(Budget.Window.minute, PARIS);
    WindowSpec hour = new WindowSpec(Budget.Window.hour, PARIS);
    long at = millis("2026-11-26T12:34:56.789Z");

    // Then
    assertThat(minute.id()).isEqualTo("minute");
    assertThat(minute.bucketStart(at)).isEqualTo(millis("2026-11-26T12:34:56Z"));
    assertThat(hour.bucketStart(at)).isEqualTo(millis("2026-11-26T12:34:00Z"));
    assertThat(minute.isLive(millis("2026-11-26T12:34:56Z"), millis("2026-11-26T12:35:56.999Z"))).isTrue();
    assertThat(minute.isLive(millis("2026-11-26T12:34:56Z"), millis("2026-11-26T12:35:57Z"))).isFalse();
  }

  @Test
  void shouldNameAndParseEveryShape() {
    for (WindowSpec spec :
        new WindowSpec[] {
          new WindowSpec(Budget.Window.minute, PARIS),
          new WindowSpec(Budget.Window.hour, ZoneId.of("UTC")),
          new WindowSpec(Budget.Window.day, PARIS),
          new WindowSpec(Budget.Window.month, ZoneId.of("America/New_York"))
        }) {
      assertThat(WindowSpec.parse(spec.id())).contains(spec);
    }
    assertThat(new WindowSpec(Budget.Window.day, PARIS).id()).isEqualTo("day@Europe/Paris");
    assertThat(WindowSpec.parse("day")).isEmpty();
    assertThat(WindowSpec.parse("minute@UTC")).isEmpty();
    assertThat(WindowSpec.parse("week@UTC")).isEmpty();
    assertThat(WindowSpec.parse("day@Mars/Olympus")).isEmpty();
  }

  private static long millis(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  private static WindowSpec.Interval interval(String start, String end) {
    return new WindowSpec.Interval(Instant.parse(start), Instant.parse(end));
  }
}
