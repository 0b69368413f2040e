package dev.tollway.config.admin;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * config-service's probe endpoints for Kubernetes: {@code GET /healthz} (200 while live, else 503) and
 * {@code GET /readyz} (200 once ready, else 503), on the JDK's own HTTP server (one thread; nothing else is
 * served).
 */
public final class AdminServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  private final HttpServer server;

  private AdminServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Binds and starts.
   *
   * @param address where to listen ({@code 0.0.0.0} in a pod)
   * @param port the port (0 picks a free one)
   * @param live whether the service is live
   * @param ready whether the service is ready
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static AdminServer start(String address, int port, BooleanSupplier live, BooleanSupplier ready) {
    requireNonNull(address, "address");
    requireNonNull(live, "live");
    requireNonNull(ready, "ready");
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
      server.createContext("/healthz", exchange -> answer(exchange, live.getAsBoolean()));
      server.createContext("/readyz", exchange -> answer(exchange, ready.getAsBoolean()));
      server.setExecutor(Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tollway-config-admin");
        t.setDaemon(true);
        return t;
      }));
      server.start();
      log.info("admin endpoints on {}:{} (/healthz, /readyz)", address, server.getAddress().getPort());
      return new AdminServer(server);
    } catch (IOException e) {
      throw new UncheckedIOException("TOLLWAY_ADMIN_PORT: cannot listen on " + address + ":" + port, e);
    }
  }

  private static void answer(HttpExchange exchange, boolean ok) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = (ok ? "ok\n" : "not ok\n").getBytes(StandardCharsets.US_ASCII);
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(ok ? 200 : 503, "HEAD".equals(exchange.getRequestMethod()) ? -1 : body.length);
      if (!"HEAD".equals(exchange.getRequestMethod())) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
