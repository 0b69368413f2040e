package dev.tollway.edge.routing;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Gateway API hostname matching: exact names and {@code *.} wildcards; ports are ignored. */
public final class Hostnames {

  private Hostnames() {}

  /**
   * Whether {@code host} (lower case, no port) matches {@code pattern}. A wildcard {@code *.example.com}
   * matches {@code a.example.com} and {@code a.b.example.com} but not {@code example.com}.
   */
  public static boolean matches(String pattern, String host) {
    String p = pattern.toLowerCase(Locale.ROOT);
    if (p.startsWith("*.")) {
      String suffix = p.substring(1);
      return host.length() > suffix.length() && host.endsWith(suffix);
    }
    return p.equals(host);
  }

  /** Whether {@code host} matches one of {@code patterns}; an empty list matches any host. */
  public static boolean matchesAny(List<String> patterns, String host) {
    if (patterns.isEmpty()) {
      return true;
    }
    for (String pattern : patterns) {
      if (matches(pattern, host)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a listener with this hostname (absent: any) accepts {@code host}. */
  public static boolean listenerAccepts(@Nullable String listenerHostname, String host) {
    return listenerHostname == null || listenerHostname.isEmpty() || matches(listenerHostname, host);
  }
}
