package dev.tollway.edge.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jspecify.annotations.Nullable;

/**
 * The certificates of one HTTPS port, chosen per handshake by the name the client asked for (SNI): the listener
 * whose hostname matches exactly, else by wildcard, else the one that serves any name. Replaced as a whole when
 * a snapshot changes them, without rebinding the port.
 */
public final class SniKeyManager extends X509ExtendedKeyManager {

  private final AtomicReference<List<ServerCertificate>> certificates = new AtomicReference<>(List.of());

  public void update(List<ServerCertificate> next) {
    certificates.set(List.copyOf(next));
  }

  public List<ServerCertificate> certificates() {
    return certificates.get();
  }

  @Override
  public @Nullable String chooseEngineServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
    String serverName = null;
    if (engine != null && engine.getHandshakeSession() instanceof ExtendedSSLSession session) {
      for (SNIServerName name : session.getRequestedServerNames()) {
        if (name instanceof SNIHostName host) {
          serverName = host.getAsciiName();
        }
      }
    }
    return choose(keyType, serverName);
  }

  @Override
  public @Nullable String chooseServerAlias(String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    return choose(keyType, null);
  }

  @Nullable String choose(String keyType, @Nullable String serverName) {
    List<ServerCertificate> all = certificates.get();
    int best = -1;
    int bestScore = -1;
    for (int i = 0; i < all.size(); i++) {
      ServerCertificate certificate = all.get(i);
      if (!suits(certificate.key(), keyType)) {
        continue;
      }
      int score = certificate.matches(serverName);
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    }
    if (best < 0 && serverName != null) {
      // a client asking for an unknown name still gets the first certificate of a suitable type
      for (int i = 0; i < all.size() && best < 0; i++) {
        if (suits(all.get(i).key(), keyType)) {
          best = i;
        }
      }
    }
    return best < 0 ? null : best + ":" + System.identityHashCode(all);
  }

  private static boolean suits(PrivateKey key, String keyType) {
    String algorithm = key.getAlgorithm();
    return algorithm.equalsIgnoreCase(keyType)
        || ("RSASSA-PSS".equalsIgnoreCase(keyType) && "RSA".equalsIgnoreCase(algorithm))
        || ("EdDSA".equalsIgnoreCase(keyType) && algorithm.startsWith("Ed"));
  }

  private @Nullable ServerCertificate byAlias(@Nullable String alias) {
    if (alias == null) {
      return null;
    }
    List<ServerCertificate> all = certificates.get();
    String[] parts = alias.split(":");
    try {
      int index = Integer.parseInt(parts[0]);
      return index < all.size() ? all.get(index) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public X509Certificate @Nullable [] getCertificateChain(@Nullable String alias) {
    ServerCertificate certificate = byAlias(alias);
    return certificate == null ? null : certificate.chain().toArray(X509Certificate[]::new);
  }

  @Override
  public @Nullable PrivateKey getPrivateKey(@Nullable String alias) {
    ServerCertificate certificate = byAlias(alias);
    return certificate == null ? null : certificate.key();
  }

  @Override
  public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
    String alias = choose(keyType, null);
    return alias == null ? null : new String[] {alias};
  }

  @Override
  public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
    return null;
  }

  @Override
  public @Nullable String chooseClientAlias(String @Nullable [] keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
    return null;
  }

}
