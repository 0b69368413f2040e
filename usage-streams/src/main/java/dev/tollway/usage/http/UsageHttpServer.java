package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/** The Undertow server of the API: one IO thread, a few workers. */
public final class UsageHttpServer implements AutoCloseable {

  private final String host;
  private final int port;
  private final HttpHandler handler;
  private @Nullable Undertow server;
  private int boundPort = -1;

  /**
   * @param host the address to bind
   * @param port the port to bind; 0 picks a free one (see {@link #port()})
   * @param handler usually {@link UsageApi#handler}
   */
  public UsageHttpServer(String host, int port, HttpHandler handler) {
    this.host = requireNonNull(host, "host");
    this.port = port;
    this.handler = requireNonNull(handler, "handler");
  }

  /** Binds and starts serving. */
  public synchronized void start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    Undertow undertow =
        Undertow.builder()
            .addHttpListener(port, host)
            .setIoThreads(1)
            .setWorkerThreads(4)
            .setHandler(handler)
            .build();
    undertow.start();
    server = undertow;
    boundPort = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
  }

  /** The bound port. */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return boundPort;
  }

  /** Stops serving; does nothing when not running. */
  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop();
      server = null;
    }
  }
}
