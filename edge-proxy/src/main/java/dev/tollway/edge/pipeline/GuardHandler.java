package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/** Catches what a handler throws and hands it to the {@link ErrorResponder}. */
final class GuardHandler implements HttpHandler {

  private final HttpHandler next;

  GuardHandler(HttpHandler next) {
    this.next = requireNonNull(next, "next");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    try {
      next.handleRequest(exchange);
    } catch (Throwable failure) {
      ErrorResponder.send(exchange, failure);
    }
  }
}
