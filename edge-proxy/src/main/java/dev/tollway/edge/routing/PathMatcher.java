package dev.tollway.edge.routing;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.snapshot.RouteMatch.PathMatch;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** A compiled Gateway API path match. */
public final class PathMatcher {

  private final PathMatch.Type type;
  private final String value;
  private final @Nullable Pattern pattern;

  private PathMatcher(PathMatch.Type type, String value, @Nullable Pattern pattern) {
    this.type = type;
    this.value = value;
    this.pattern = pattern;
  }

  /**
   * Compiles a path match.
   *
   * @throws java.util.regex.PatternSyntaxException for an invalid regular expression
   */
  public static PathMatcher compile(PathMatch match) {
    requireNonNull(match, "match");
    return switch (match.type()) {
      case Exact -> new PathMatcher(match.type(), match.value(), null);
      case PathPrefix -> new PathMatcher(match.type(), normalizePrefix(match.value()), null);
      case RegularExpression -> new PathMatcher(match.type(), match.value(), Pattern.compile(match.value()));
    };
  }

  /** A prefix without its trailing slash; {@code /} becomes the empty prefix that matches every path. */
  static String normalizePrefix(String prefix) {
    String p = prefix;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  public boolean matches(String path) {
    return switch (type) {
      case Exact -> path.equals(value);
      case PathPrefix ->
          value.isEmpty() || (path.startsWith(value) && (path.length() == value.length() || path.charAt(value.length()) == '/'));
      case RegularExpression -> requireNonNull(pattern).matcher(path).matches();
    };
  }

  /** The prefix for {@code ReplacePrefixMatch}, or null when this is not a prefix match. */
  public @Nullable String prefix() {
    return type == PathMatch.Type.PathPrefix ? value : null;
  }
}
