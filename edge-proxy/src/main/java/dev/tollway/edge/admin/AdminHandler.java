package dev.tollway.edge.admin;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.function.BooleanSupplier;

/** {@code /healthz} (200 while live), {@code /readyz} (200 when ready, else 503) and {@code /metrics}. */
public final class AdminHandler implements HttpHandler {

  private final BooleanSupplier live;
  private final BooleanSupplier ready;
  private final EdgeMetrics metrics;

  public AdminHandler(BooleanSupplier live, BooleanSupplier ready, EdgeMetrics metrics) {
    this.live = requireNonNull(live, "live");
    this.ready = requireNonNull(ready, "ready");
    this.metrics = requireNonNull(metrics, "metrics");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    switch (exchange.getRequestPath()) {
      case "/healthz" -> text(exchange, live.getAsBoolean() ? 200 : 503, live.getAsBoolean() ? "ok\n" : "stopping\n");
      case "/readyz" -> text(exchange, ready.getAsBoolean() ? 200 : 503, ready.getAsBoolean() ? "ready\n" : "not ready\n");
      case "/metrics" -> {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        exchange.getResponseSender().send(metrics.scrape());
      }
      default -> text(exchange, 404, "not found\n");
    }
  }

  private static void text(HttpServerExchange exchange, int status, String body) {
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
    exchange.getResponseSender().send(body);
  }
}
