package dev.tollway.edge.tls;

import static java.util.Objects.requireNonNull;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The certificate an HTTPS listener presents.
 *
 * @param hostname the listener's hostname ({@code *.example.com} allowed); null serves any name
 * @param chain the certificate chain, leaf first
 * @param key its private key; never logged
 */
public record ServerCertificate(@Nullable String hostname, List<X509Certificate> chain, PrivateKey key) {

  public ServerCertificate {
    chain = List.copyOf(chain);
    requireNonNull(key, "key");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain: empty");
    }
  }

  /** From the PEM of a TLS Secret. */
  public static ServerCertificate fromPem(@Nullable String hostname, String chainPem, String keyPem) {
    return new ServerCertificate(hostname, PemKeys.certificates(chainPem), PemKeys.privateKey(keyPem));
  }

  /** How well this certificate's listener serves a name: 2 exact, 1 wildcard, 0 any name, -1 not at all. */
  int matches(@Nullable String serverName) {
    if (hostname == null) {
      return 0;
    }
    if (serverName == null) {
      return -1;
    }
    String name = serverName.toLowerCase(Locale.ROOT);
    String own = hostname.toLowerCase(Locale.ROOT);
    if (own.equals(name)) {
      return 2;
    }
    if (own.startsWith("*.") && name.endsWith(own.substring(1)) && name.length() > own.length() - 1) {
      return 1;
    }
    return -1;
  }

  @Override
  public String toString() {
    return "ServerCertificate[hostname=" + hostname + ", subject=" + chain.get(0).getSubjectX500Principal() + ", key=<redacted>]";
  }
}
