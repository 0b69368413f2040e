package dev.tollway.edge.usage;

import java.util.Locale;

/** What happens when the usage buffer (memory, then the disk spool) is full: {@code TOLLWAY_USAGE_OVERFLOW}. */
public enum UsageOverflow {
  /** Requests keep being served; their usage events are dropped, counted and logged. */
  DROP,
  /** New requests are refused with 503 in the caller's shape until there is room again. */
  FAIL_CLOSED;

  /** {@code drop} or {@code fail-closed}. */
  public static UsageOverflow parse(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "drop" -> DROP;
      case "fail-closed" -> FAIL_CLOSED;
      default -> throw new IllegalArgumentException(value);
    };
  }

  public String setting() {
    return this == DROP ? "drop" : "fail-closed";
  }
}
