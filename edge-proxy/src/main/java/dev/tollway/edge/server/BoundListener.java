package dev.tollway.edge.server;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.tls.SniKeyManager;
import io.undertow.connector.ByteBufferPool;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.SslClientAuthMode;
import org.xnio.StreamConnection;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;
import org.xnio.ssl.SslConnection;

/** One bound HTTP/1.1 server socket (plain, or TLS with certificates chosen by SNI) with its Undertow open listener. */
public final class BoundListener implements AutoCloseable {

  private final AcceptingChannel<? extends StreamConnection> server;
  private final HttpOpenListener openListener;
  private final int localPort;
  private final @Nullable SniKeyManager certificates;

  private BoundListener(
      AcceptingChannel<? extends StreamConnection> server, HttpOpenListener openListener,
      @Nullable SniKeyManager certificates) {
    this.server = server;
    this.openListener = openListener;
    this.localPort = server.getLocalAddress(InetSocketAddress.class).getPort();
    this.certificates = certificates;
  }

  /**
   * Binds {@code address} (port 0 picks a free port) and starts accepting.
   *
   * @throws IOException when the address cannot be bound
   */
  public static BoundListener bind(
      XnioWorker worker, ByteBufferPool buffers, InetSocketAddress address, HttpHandler handler, OptionMap undertowOptions)
      throws IOException {
    requireNonNull(handler, "handler");
    HttpOpenListener open = new HttpOpenListener(buffers, undertowOptions);
    open.setRootHandler(handler);
    ChannelListener<AcceptingChannel<StreamConnection>> accept = ChannelListeners.openListenerAdapter(open);
    OptionMap.Builder socketOptions = OptionMap.builder()
        .set(Options.REUSE_ADDRESSES, true)
        .set(Options.TCP_NODELAY, true)
        .set(Options.BACKLOG, 1024);
    Integer readTimeout = undertowOptions.get(Options.READ_TIMEOUT);
    if (readTimeout != null) {
      socketOptions.set(Options.READ_TIMEOUT, readTimeout);
    }
    OptionMap socket = socketOptions.getMap();
    AcceptingChannel<StreamConnection> server = worker.createStreamConnectionServer(address, accept, socket);
    server.resumeAccepts();
    return new BoundListener(server, open, null);
  }

  /**
   * Binds an HTTPS listener whose certificates come from {@code certificates} (chosen per handshake by SNI, and
   * replaceable while bound).
   *
   * @throws IOException when the address cannot be bound
   */
  public static BoundListener bindTls(
      XnioWorker worker, ByteBufferPool buffers, InetSocketAddress address, HttpHandler handler,
      OptionMap undertowOptions, SniKeyManager certificates) throws IOException {
    requireNonNull(handler, "handler");
    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {certificates}, null, null);
    } catch (GeneralSecurityException e) {
      throw new IOException("TLS is not available in this JVM: " + e.getMessage(), e);
    }
    HttpOpenListener open = new HttpOpenListener(buffers, undertowOptions);
    open.setRootHandler(handler);
    ChannelListener<AcceptingChannel<SslConnection>> accept = ChannelListeners.openListenerAdapter(open);
    OptionMap.Builder socketOptions = OptionMap.builder()
        .set(Options.REUSE_ADDRESSES, true)
        .set(Options.TCP_NODELAY, true)
        .set(Options.BACKLOG, 1024)
        .set(Options.SSL_CLIENT_AUTH_MODE, SslClientAuthMode.NOT_REQUESTED);
    Integer readTimeout = undertowOptions.get(Options.READ_TIMEOUT);
    if (readTimeout != null) {
      socketOptions.set(Options.READ_TIMEOUT, readTimeout);
    }
    UndertowXnioSsl ssl = new UndertowXnioSsl(worker.getXnio(), OptionMap.EMPTY, buffers, context);
    AcceptingChannel<SslConnection> server =
        ssl.createSslConnectionServer(worker, address, accept, socketOptions.getMap());
    server.resumeAccepts();
    return new BoundListener(server, open, certificates);
  }

  /** The certificates of an HTTPS listener; null for plain HTTP. */
  public @Nullable SniKeyManager certificates() {
    return certificates;
  }

  public int localPort() {
    return localPort;
  }

  /** Stops accepting new connections; open connections go on. */
  public void stopAccepting() {
    IoUtils.safeClose(server);
  }

  /** Closes the connections still open. */
  public void closeConnections() {
    openListener.closeConnections();
  }

  @Override
  public void close() {
    stopAccepting();
    closeConnections();
  }
}
