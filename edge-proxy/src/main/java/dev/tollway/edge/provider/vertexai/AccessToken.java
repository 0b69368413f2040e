package dev.tollway.edge.provider.vertexai;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * An OAuth2 access token and when it expires. Redacts itself in {@link #toString()}.
 *
 * @param value the bearer token
 * @param expiresAt the instant after which the token is no longer accepted
 */
public record AccessToken(String value, Instant expiresAt) {

  public AccessToken {
    requireNonNull(value, "value");
    requireNonNull(expiresAt, "expiresAt");
  }

  @Override
  public String toString() {
    return "AccessToken[value=***, expiresAt=" + expiresAt + "]";
  }
}
