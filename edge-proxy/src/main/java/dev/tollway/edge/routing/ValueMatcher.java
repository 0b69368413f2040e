package dev.tollway.edge.routing;

import dev.tollway.schemas.snapshot.RouteMatch.ValueMatch;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** A compiled header or query parameter match. */
record ValueMatcher(String name, @Nullable String exact, @Nullable Pattern pattern) {

  /** A header match: the name is compared case-insensitively. */
  static ValueMatcher header(ValueMatch match) {
    return of(match, match.name().toLowerCase(Locale.ROOT));
  }

  /** A query parameter match: the name is compared exactly. */
  static ValueMatcher query(ValueMatch match) {
    return of(match, match.name());
  }

  private static ValueMatcher of(ValueMatch match, String name) {
    return switch (match.type()) {
      case Exact -> new ValueMatcher(name, match.value(), null);
      case RegularExpression -> new ValueMatcher(name, null, Pattern.compile(match.value()));
    };
  }

  /** Whether the first value under the name matches. */
  boolean matches(Map<String, List<String>> values) {
    List<String> present = values.get(name);
    if (present == null || present.isEmpty()) {
      return false;
    }
    String value = present.get(0);
    return exact != null ? exact.equals(value) : pattern != null && pattern.matcher(value).matches();
  }
}
