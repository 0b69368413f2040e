package dev.tollway.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads typed values from the environment map, failing with messages that name the key and what was expected:
 * {@code TOLLWAY_RESYNC_PERIOD: "ten" (expected: a duration such as 30s, 5m or PT1M)}.
 */
public final class EnvValues {

  private static final Pattern SIMPLE_DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private EnvValues() {}

  /** The trimmed value, absent when unset or blank. */
  public static Optional<String> value(Map<String, String> env, String key) {
    String value = env.get(key);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  /** {@code true}/{@code false} (also {@code on}/{@code off}, {@code yes}/{@code no}), or the default. */
  public static boolean bool(Map<String, String> env, String key, boolean defaultValue) {
    Optional<String> value = value(env, key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    return switch (value.get().toLowerCase(Locale.ROOT)) {
      case "true", "on", "yes", "1" -> true;
      case "false", "off", "no", "0" -> false;
      default -> throw invalid(key, value.get(), "true or false");
    };
  }

  /** A positive duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or ISO-8601 ({@code PT30S}). */
  public static Duration duration(Map<String, String> env, String key, Duration defaultValue) {
    Optional<String> value = value(env, key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    Duration parsed = null;
    var simple = SIMPLE_DURATION.matcher(value.get());
    if (simple.matches()) {
      long amount = Long.parseLong(simple.group(1));
      parsed = switch (simple.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    } else {
      try {
        parsed = Duration.parse(value.get());
      } catch (DateTimeParseException e) {
        parsed = null;
      }
    }
    if (parsed == null || parsed.isNegative() || parsed.isZero()) {
      throw invalid(key, value.get(), "a positive duration such as 30s, 5m or PT1M");
    }
    return parsed;
  }

  /** An integer from {@code min} to {@code max}, or the default. */
  public static int integer(Map<String, String> env, String key, int defaultValue, int min, int max) {
    Optional<String> value = value(env, key);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value.get());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(key, value.get(), "an integer from " + min + " to " + max);
  }

  /** A comma-separated list of Kubernetes names (DNS labels), sorted; empty when unset. */
  public static SortedSet<String> names(Map<String, String> env, String key) {
    Optional<String> value = value(env, key);
    if (value.isEmpty()) {
      return new TreeSet<>();
    }
    SortedSet<String> names = Arrays.stream(value.get().split(",")).map(String::strip).filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
    for (String name : names) {
      if (!DNS_LABEL.matcher(name).matches()) {
        throw invalid(key, value.get(), "a comma-separated list of namespace names");
      }
    }
    return names;
  }

  /** Whether {@code name} is a valid DNS label (a namespace or Service name). */
  public static boolean isDnsLabel(String name) {
    return DNS_LABEL.matcher(name).matches();
  }

  /** {@code KEY: "value" (expected: what)}. */
  public static IllegalArgumentException invalid(String key, String value, String expected) {
    return new IllegalArgumentException(key + ": \"" + value + "\" (expected: " + expected + ")");
  }
}
