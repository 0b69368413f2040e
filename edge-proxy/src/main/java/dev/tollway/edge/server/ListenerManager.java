package dev.tollway.edge.server;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.pipeline.Attachments;
import dev.tollway.edge.tls.ServerCertificate;
import dev.tollway.edge.tls.SniKeyManager;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;
import org.xnio.OptionMap;
import org.xnio.XnioWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one listener bound per declared port of the served Gateways (through the port map), binding new
 * ports and closing dropped ones when the routing table changes. Every listener tags each request with its
 * declared port and hands it to the same chain.
 */
public final class ListenerManager implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ListenerManager.class);

  private final XnioWorker worker;
  private final ByteBufferPool buffers;
  private final String bindAddress;
  private final IntUnaryOperator localPortFor;
  private final HttpHandler chain;
  private final OptionMap undertowOptions;
  private final Map<Integer, BoundListener> bound = new TreeMap<>();
  private final Set<Integer> failed = new HashSet<>();
  private boolean closed;

  public ListenerManager(
      XnioWorker worker,
      ByteBufferPool buffers,
      String bindAddress,
      IntUnaryOperator localPortFor,
      HttpHandler chain,
      OptionMap undertowOptions) {
    this.worker = requireNonNull(worker, "worker");
    this.buffers = requireNonNull(buffers, "buffers");
    this.bindAddress = requireNonNull(bindAddress, "bindAddress");
    this.localPortFor = requireNonNull(localPortFor, "localPortFor");
    this.chain = requireNonNull(chain, "chain");
    this.undertowOptions = requireNonNull(undertowOptions, "undertowOptions");
  }

  /** Binds the declared ports not bound yet and closes those no longer declared. */
  public synchronized void reconcile(Set<Integer> declaredPorts) {
    reconcile(declaredPorts, Map.of());
  }

  /**
   * Binds the declared ports not bound yet — HTTPS for the ports in {@code https}, with those certificates —
   * closes those no longer declared, rebinds a port whose protocol changed, and gives a bound HTTPS port its new
   * certificates without rebinding. An HTTPS port without a usable certificate is not bound (and not ready).
   */
  public synchronized void reconcile(Set<Integer> httpPorts, Map<Integer, List<ServerCertificate>> https) {
    if (closed) {
      return;
    }
    Set<Integer> declaredPorts = new HashSet<>(httpPorts);
    declaredPorts.addAll(https.keySet());
    for (Integer port : new HashSet<>(bound.keySet())) {
      BoundListener existing = bound.get(port);
      boolean wantTls = https.containsKey(port);
      if (declaredPorts.contains(port) && wantTls == (existing.certificates() != null)) {
        if (wantTls) {
          existing.certificates().update(https.get(port));
        }
        continue;
      }
      if (!declaredPorts.contains(port) || wantTls != (existing.certificates() != null)) {
        BoundListener listener = bound.remove(port);
        listener.stopAccepting();
        LOG.info("listener for declared port {} closed (local port {})", port, listener.localPort());
      }
    }
    failed.retainAll(declaredPorts);
    for (int declared : declaredPorts) {
      if (bound.containsKey(declared)) {
        continue;
      }
      int local = localPortFor.applyAsInt(declared);
      List<ServerCertificate> certificates = https.get(declared);
      if (certificates != null && certificates.isEmpty()) {
        failed.add(declared);
        LOG.error("HTTPS listener for declared port {} not bound: no usable certificate", declared);
        continue;
      }
      try {
        BoundListener listener;
        if (certificates != null) {
          SniKeyManager keys = new SniKeyManager();
          keys.update(certificates);
          listener = BoundListener.bindTls(
              worker, buffers, new InetSocketAddress(bindAddress, local), tagging(declared), undertowOptions, keys);
        } else {
          listener = BoundListener.bind(
              worker, buffers, new InetSocketAddress(bindAddress, local), tagging(declared), undertowOptions);
        }
        bound.put(declared, listener);
        failed.remove(declared);
        LOG.info("{} listener for declared port {} bound on {}:{}", certificates != null ? "HTTPS" : "HTTP", declared,
            bindAddress, listener.localPort());
      } catch (IOException | RuntimeException e) {
        failed.add(declared);
        LOG.error("cannot bind declared port {} on {}:{}: {}", declared, bindAddress, local, e.getMessage());
      }
    }
  }

  private HttpHandler tagging(int declared) {
    Integer port = declared;
    return exchange -> {
      exchange.putAttachment(Attachments.DECLARED_PORT, port);
      chain.handleRequest(exchange);
    };
  }

  /** The local port a declared port is bound on. */
  public synchronized Optional<Integer> localPort(int declaredPort) {
    BoundListener listener = bound.get(declaredPort);
    return listener == null ? Optional.empty() : Optional.of(listener.localPort());
  }

  /** Whether every declared port of the last reconcile is bound. */
  public synchronized boolean allBound() {
    return failed.isEmpty();
  }

  /** Declared port to local port, for what is bound now. */
  public synchronized Map<Integer, Integer> boundPorts() {
    Map<Integer, Integer> ports = new HashMap<>();
    bound.forEach((declared, listener) -> ports.put(declared, listener.localPort()));
    return ports;
  }

  /** Stops accepting on every listener; open connections go on (to drain). */
  public synchronized void stopAccepting() {
    closed = true;
    bound.values().forEach(BoundListener::stopAccepting);
  }

  @Override
  public synchronized void close() {
    closed = true;
    bound.values().forEach(BoundListener::close);
    bound.clear();
  }
}
