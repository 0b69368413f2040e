package dev.tollway.edge.tls;

import dev.tollway.edge.routing.RoutingTable;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.snapshot.Listener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificates of a routing table's HTTPS listeners, by declared port: each private key opened with the
 * snapshot key for its Gateway and read from PEM. A listener whose certificate cannot be used is left out with
 * a warning naming it (never the key); its port stays in the map, possibly with no certificate.
 */
public final class ListenerCertificates {

  private static final Logger LOG = LoggerFactory.getLogger(ListenerCertificates.class);

  private ListenerCertificates() {}

  public static Map<Integer, List<ServerCertificate>> of(RoutingTable table, SnapshotCipher cipher) {
    Map<Integer, List<ServerCertificate>> ports = new TreeMap<>();
    for (RoutingTable.GatewayListener entry : table.httpsListeners()) {
      Listener listener = entry.listener();
      List<ServerCertificate> certificates = ports.computeIfAbsent(listener.port(), p -> new ArrayList<>());
      if (listener.tls() == null) {
        LOG.warn("HTTPS listener {} of gateway {} has no certificate", listener.name(), entry.gateway());
        continue;
      }
      try {
        String key = cipher.open(entry.gateway(), listener.tls().privateKey());
        certificates.add(ServerCertificate.fromPem(listener.hostname(), listener.tls().certificateChain(), key));
      } catch (IllegalArgumentException e) {
        LOG.warn("HTTPS listener {} of gateway {} left without its certificate: {}", listener.name(), entry.gateway(),
            e.getMessage());
      }
    }
    return ports;
  }
}
