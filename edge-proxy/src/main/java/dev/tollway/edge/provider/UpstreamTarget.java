package dev.tollway.edge.provider;

import static java.util.Objects.requireNonNull;

/**
 * An upstream endpoint and request path.
 *
 * @param host DNS name or address
 * @param port TCP port
 * @param tls whether to speak TLS
 * @param path path and query string, starting with {@code /}
 */
public record UpstreamTarget(String host, int port, boolean tls, String path) {
  public UpstreamTarget {
    requireNonNull(host, "host");
    requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /: " + path);
    }
  }

  /** {@code host:port}, as recorded in usage events. */
  public String authority() {
    return host + ":" + port;
  }
}
