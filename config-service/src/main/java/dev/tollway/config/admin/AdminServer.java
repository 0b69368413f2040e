package dev.tollway.config.admin;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * config-service's admin port, on the JDK's own HTTP server (one thread): {@code GET /healthz} (200 while live,
 * else 503), {@code GET /readyz} (200 once ready, else 503) and {@code GET /metrics} (Prometheus text).
 */
public final class AdminServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  private final HttpServer server;
  private final ExecutorService executor;

  private AdminServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds and starts.
   *
   * @param address where to listen ({@code 0.0.0.0} in a pod)
   * @param port the port (0 picks a free one)
   * @param live whether the service is live
   * @param ready whether the service is ready
   * @param metrics the Prometheus text exposition
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static AdminServer start(
      String address, int port, BooleanSupplier live, BooleanSupplier ready, Supplier<String> metrics) {
    requireNonNull(address, "address");
    requireNonNull(live, "live");
    requireNonNull(ready, "ready");
    requireNonNull(metrics, "metrics");
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "tollway-config-admin");
      t.setDaemon(true);
      return t;
    });
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 16);
      server.createContext("/healthz", exchange -> probe(exchange, live.getAsBoolean()));
      server.createContext("/readyz", exchange -> probe(exchange, ready.getAsBoolean()));
      server.createContext("/metrics", exchange -> answer(exchange, 200,
          "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
      server.setExecutor(executor);
      server.start();
      log.info("admin endpoints on {}:{} (/healthz, /readyz, /metrics)", address, server.getAddress().getPort());
      return new AdminServer(server, executor);
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException("TOLLWAY_ADMIN_PORT: cannot listen on " + address + ":" + port, e);
    }
  }

  private static void probe(HttpExchange exchange, boolean ok) throws IOException {
    answer(exchange, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "ok\n" : "not ok\n");
  }

  private static void answer(HttpExchange exchange, int status, String type, String text) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = text.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, "HEAD".equals(method) ? -1 : body.length);
      if (!"HEAD".equals(method)) {
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
    executor.shutdownNow();
  }
}
