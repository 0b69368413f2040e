package dev.tollway.edge.pipeline;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The model sent to a provider: the provider's own {@code model} overrides the request's; else the
 * request's model through the backend's {@code modelAliases} (exact names first, then {@code *} patterns,
 * most specific first); else the request's model as it is.
 */
final class Models {

  private Models() {}

  static @Nullable String resolve(
      @Nullable String providerModel, @Nullable String requested, Map<String, String> aliases) {
    if (providerModel != null && !providerModel.isEmpty()) {
      return providerModel;
    }
    if (requested == null || requested.isEmpty()) {
      return null;
    }
    String exact = aliases.get(requested);
    if (exact != null) {
      return exact;
    }
    String bestPattern = null;
    for (String pattern : aliases.keySet()) {
      if (pattern.contains("*") && glob(pattern, requested)
          && (bestPattern == null || literalLength(pattern) > literalLength(bestPattern))) {
        bestPattern = pattern;
      }
    }
    return bestPattern != null ? aliases.get(bestPattern) : requested;
  }

  private static int literalLength(String pattern) {
    return pattern.replace("*", "").length();
  }

  /** {@code *} matches any run of characters. */
  static boolean glob(String pattern, String value) {
    String[] parts = pattern.split("\\*", -1);
    int at = 0;
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i];
      if (i == 0) {
        if (!value.startsWith(part)) {
          return false;
        }
        at = part.length();
      } else if (i == parts.length - 1) {
        return value.length() - at >= part.length() && value.endsWith(part);
      } else {
        int found = value.indexOf(part, at);
        if (found < 0) {
          return false;
        }
        at = found + part.length();
      }
    }
    return at == value.length();
  }
}
