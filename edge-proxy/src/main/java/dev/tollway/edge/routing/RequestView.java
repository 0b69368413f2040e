package dev.tollway.edge.routing;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What routing needs to know about a request.
 *
 * @param declaredPort the declared port of the listener the request came in on
 * @param method the HTTP method
 * @param host the {@code Host} header without its port, lower case; empty when absent
 * @param path the path, without the query string
 * @param query the raw query string without {@code ?}, empty when absent
 * @param headers header values by lower-case name
 * @param queryParams query parameter values by name
 */
public record RequestView(
    int declaredPort,
    String method,
    String host,
    String path,
    String query,
    Map<String, List<String>> headers,
    Map<String, List<String>> queryParams) {

  public RequestView {
    requireNonNull(method, "method");
    requireNonNull(host, "host");
    requireNonNull(path, "path");
    requireNonNull(query, "query");
    requireNonNull(headers, "headers");
    requireNonNull(queryParams, "queryParams");
  }

  /** The first value of a header, by case-insensitive name. */
  public @Nullable String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Strips the port from a {@code Host} header value and lower-cases it ({@code [::1]:80} → {@code [::1]}). */
  public static String hostWithoutPort(@Nullable String hostHeader) {
    if (hostHeader == null) {
      return "";
    }
    String host = hostHeader.strip();
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return (end < 0 ? host : host.substring(0, end + 1)).toLowerCase(Locale.ROOT);
    }
    int colon = host.lastIndexOf(':');
    if (colon >= 0 && host.indexOf(':') == colon) {
      host = host.substring(0, colon);
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    return host.toLowerCase(Locale.ROOT);
  }
}
