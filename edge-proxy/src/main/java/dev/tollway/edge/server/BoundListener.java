package dev.tollway.edge.server;

import static java.util.Objects.requireNonNull;

import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/** One bound HTTP/1.1 server socket with its Undertow open listener. */
public final class BoundListener implements AutoCloseable {

  private final AcceptingChannel<StreamConnection> server;
  private final HttpOpenListener openListener;
  private final int localPort;

  private BoundListener(AcceptingChannel<StreamConnection> server, HttpOpenListener openListener) {
    this.server = server;
    this.openListener = openListener;
    this.localPort = server.getLocalAddress(InetSocketAddress.class).getPort();
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
    return new BoundListener(server, open);
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
