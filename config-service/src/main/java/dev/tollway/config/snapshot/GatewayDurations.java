package dev.tollway.config.snapshot;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Gateway API durations (GEP-2257): one to four {@code <number><unit>} parts, units {@code h m s ms}. */
public final class GatewayDurations {

  private static final Pattern WHOLE = Pattern.compile("([0-9]{1,5}(h|ms|m|s)){1,4}");
  private static final Pattern PART = Pattern.compile("([0-9]{1,5})(h|ms|m|s)");

  private GatewayDurations() {}

  /**
   * Milliseconds of a duration such as {@code 10s}, {@code 500ms} or {@code 1h30m}.
   *
   * @throws IllegalArgumentException naming the value and the expected format
   */
  public static long toMillis(String value) {
    if (!WHOLE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "\"" + value + "\" (expected: a Gateway API duration such as 10s, 500ms or 1h30m)");
    }
    long millis = 0;
    Matcher part = PART.matcher(value);
    while (part.find()) {
      long n = Long.parseLong(part.group(1));
      millis += switch (part.group(2)) {
        case "h" -> n * 3_600_000L;
        case "m" -> n * 60_000L;
        case "s" -> n * 1_000L;
        default -> n;
      };
    }
    return millis;
  }
}
