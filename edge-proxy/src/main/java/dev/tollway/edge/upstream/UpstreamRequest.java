package dev.tollway.edge.upstream;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.provider.UpstreamTarget;
import io.undertow.util.HeaderMap;

/**
 * A request to an upstream.
 *
 * @param target where it goes
 * @param method the HTTP method
 * @param headers headers to send; {@code Host} and {@code Content-Length} are set by the client
 * @param body the body (possibly empty); never logged
 * @param hostHeader the {@code Host} header, when it must differ from the target's authority
 */
public record UpstreamRequest(
    UpstreamTarget target, String method, HeaderMap headers, byte[] body, @org.jspecify.annotations.Nullable String hostHeader) {

  public UpstreamRequest {
    requireNonNull(target, "target");
    requireNonNull(method, "method");
    requireNonNull(headers, "headers");
    requireNonNull(body, "body");
  }

  /** The {@code Host} header value: the override, else the target's host with its port when not the default. */
  public String effectiveHost() {
    if (hostHeader != null) {
      return hostHeader;
    }
    boolean defaultPort = target.tls() ? target.port() == 443 : target.port() == 80;
    String host = target.host().contains(":") && !target.host().startsWith("[") ? "[" + target.host() + "]" : target.host();
    return defaultPort ? host : host + ":" + target.port();
  }

  @Override
  public String toString() {
    return "UpstreamRequest[" + method + " " + target.authority() + target.path() + ", " + body.length + " bytes]";
  }
}
