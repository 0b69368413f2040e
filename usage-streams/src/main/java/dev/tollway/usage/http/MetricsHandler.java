package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.function.Supplier;

/** {@code GET /metrics}: the Prometheus text exposition of the service's meters. */
final class MetricsHandler implements HttpHandler {

  private final Supplier<String> scrape;

  MetricsHandler(Supplier<String> scrape) {
    this.scrape = requireNonNull(scrape, "scrape");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    exchange.setStatusCode(200);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
    exchange.getResponseSender().send(scrape.get());
  }
}
