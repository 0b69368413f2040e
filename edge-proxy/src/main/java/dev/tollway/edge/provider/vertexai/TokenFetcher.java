package dev.tollway.edge.provider.vertexai;

import java.io.IOException;

/**
 * Gets a new access token for a credential. Blocking (it calls a token endpoint): {@link AccessTokenCache}
 * runs it on its background executor, never on an IO thread.
 */
@FunctionalInterface
public interface TokenFetcher {

  /**
   * @param credential the service-account JSON key file's content
   * @throws IOException when the token endpoint cannot be reached or refuses the credential
   * @throws dev.tollway.edge.error.GatewayException when the credential itself is unusable, naming why
   */
  AccessToken fetch(String credential) throws IOException;
}
