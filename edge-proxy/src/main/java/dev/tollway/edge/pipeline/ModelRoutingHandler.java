package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Reads the body before routing — and exposes its model as {@code x-gateway-model} ({@link ModelHeaderHandler})
 * — only when a route of the current table matches on that header. Otherwise routing and the policies that
 * follow it (API keys, quotas, rate limits) run before any body is read, and the body is read once the
 * backend is known.
 */
final class ModelRoutingHandler implements HttpHandler {

  private final PipelineContext context;
  private final HttpHandler withBody;
  private final HttpHandler next;

  /**
   * @param withBody reads the body, exposes the model, then continues with {@code next}
   * @param next routing
   */
  ModelRoutingHandler(PipelineContext context, HttpHandler withBody, HttpHandler next) {
    this.context = requireNonNull(context, "context");
    this.withBody = requireNonNull(withBody, "withBody");
    this.next = requireNonNull(next, "next");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    if (context.routes().get().matchesOnHeader(ModelHeaderHandler.X_GATEWAY_MODEL.toString())) {
      withBody.handleRequest(exchange);
    } else {
      next.handleRequest(exchange);
    }
  }
}
