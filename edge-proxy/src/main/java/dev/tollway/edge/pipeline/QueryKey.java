package dev.tollway.edge.pipeline;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Gemini's {@code key} query parameter ({@code ?key=AIza...}), which Google's REST examples and some clients
 * use instead of the {@code x-goog-api-key} header: read as a client credential like that header, and never
 * sent to a provider (chat calls build their own query; passthrough drops it).
 */
final class QueryKey {

  static final String NAME = "key";

  private QueryKey() {}

  /** The first non-empty {@code key} of a raw query string, percent-decoded; null when there is none. */
  static @Nullable String in(String rawQuery) {
    if (rawQuery.isEmpty()) {
      return null;
    }
    for (String param : rawQuery.split("&")) {
      if (param.startsWith(NAME + "=")) {
        String value = decode(param.substring(NAME.length() + 1)).strip();
        if (!value.isEmpty()) {
          return value;
        }
      }
    }
    return null;
  }

  /** A raw query string without its {@code key} parameters (empty when nothing else is left). */
  static String without(String rawQuery) {
    if (rawQuery.isEmpty()) {
      return rawQuery;
    }
    StringBuilder query = new StringBuilder();
    for (String param : rawQuery.split("&")) {
      if (param.isEmpty() || param.equals(NAME) || param.startsWith(NAME + "=")) {
        continue;
      }
      if (query.length() > 0) {
        query.append('&');
      }
      query.append(param);
    }
    return query.toString();
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }
}
