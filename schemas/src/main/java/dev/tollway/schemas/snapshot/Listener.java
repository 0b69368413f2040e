package dev.tollway.schemas.snapshot;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * One listener of a Gateway.
 *
 * @param name the listener's {@code name}, unique within the Gateway
 * @param protocol {@code HTTP} or {@code HTTPS}
 * @param port the declared port
 * @param hostname the listener's hostname, possibly a wildcard such as {@code *.example.com}; absent means any
 * @param tls the server certificate for an {@code HTTPS} listener, sealed
 */
public record Listener(
    String name, String protocol, int port, @Nullable String hostname, @Nullable ListenerTls tls) {

  public Listener {
    requireNonNull(name, "name");
    requireNonNull(protocol, "protocol");
  }

  /**
   * The server certificate and key of an HTTPS listener.
   *
   * @param certificateChain PEM certificate chain (public)
   * @param privateKey the PEM private key, sealed
   */
  public record ListenerTls(String certificateChain, SealedValue privateKey) {
    public ListenerTls {
      requireNonNull(certificateChain, "certificateChain");
      requireNonNull(privateKey, "privateKey");
    }
  }
}
