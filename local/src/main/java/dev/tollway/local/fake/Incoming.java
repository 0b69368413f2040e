package dev.tollway.local.fake;

import static java.util.Objects.requireNonNull;

import io.undertow.util.HeaderMap;

/**
 * A request as a fake provider received it, for authentication: the method, the path exactly as sent
 * (percent-encoding kept, which SigV4 signs), the raw query, the headers and the body, with the credentials
 * the server accepts.
 *
 * @param rawPath the path as sent, without the query
 * @param query the raw query string, empty when none
 */
record Incoming(
    String method, String rawPath, String query, HeaderMap headers, byte[] body, TrustedCredentials trusted) {

  Incoming {
    requireNonNull(method, "method");
    requireNonNull(rawPath, "rawPath");
    requireNonNull(query, "query");
    requireNonNull(headers, "headers");
    requireNonNull(body, "body");
    requireNonNull(trusted, "trusted");
  }

  /** Without header values or the body: they hold credentials. */
  @Override
  public String toString() {
    return "Incoming[" + method + " " + rawPath + ", " + body.length + " bytes]";
  }
}
