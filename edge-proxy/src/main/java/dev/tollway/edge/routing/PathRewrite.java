package dev.tollway.edge.routing;

import dev.tollway.schemas.snapshot.RouteFilter.PathModifier;

/** The Gateway API {@code URLRewrite} path modifiers. */
public final class PathRewrite {

  private PathRewrite() {}

  /**
   * Applies a path modifier.
   *
   * @param path the request path, without query
   * @param matchedPrefix the {@code PathPrefix} value that matched, or null when the match was not a prefix
   * @throws IllegalArgumentException for {@code ReplacePrefixMatch} without a prefix match (the Gateway API
   *     forbids that combination)
   */
  public static String apply(PathModifier modifier, String path, @org.jspecify.annotations.Nullable String matchedPrefix) {
    return switch (modifier.type()) {
      case ReplaceFullPath -> modifier.value().isEmpty() ? "/" : modifier.value();
      case ReplacePrefixMatch -> {
        if (matchedPrefix == null) {
          throw new IllegalArgumentException("ReplacePrefixMatch needs a PathPrefix match");
        }
        yield replacePrefix(path, matchedPrefix, modifier.value());
      }
    };
  }

  /**
   * Replaces the matched prefix of {@code path} by {@code replacement}, on path-segment boundaries and without
   * doubling slashes: with prefix {@code /ai/gemini}, {@code /ai/gemini/v1/x} becomes {@code /v1/x} for
   * {@code /} and {@code /foo/v1/x} for {@code /foo}; {@code /ai/gemini} becomes {@code /} and {@code /foo}.
   */
  public static String replacePrefix(String path, String matchedPrefix, String replacement) {
    String prefix = PathMatcher.normalizePrefix(matchedPrefix);
    String rest = path.length() >= prefix.length() ? path.substring(prefix.length()) : "";
    String head = replacement.endsWith("/") ? replacement.substring(0, replacement.length() - 1) : replacement;
    String result;
    if (rest.isEmpty() || rest.startsWith("/")) {
      result = head + rest;
    } else {
      result = head + "/" + rest;
    }
    if (result.isEmpty()) {
      return "/";
    }
    return result.startsWith("/") ? result : "/" + result;
  }
}
