package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.routing.BackendSelector;
import dev.tollway.edge.routing.ResolvedBackend;
import dev.tollway.edge.routing.RouteDecision;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Picks one of the route's backends by weight and sends the request down the branch of its kind: LLM
 * providers or a plain HTTP upstream. A backend that cannot serve answers {@code BACKEND_UNAVAILABLE} with
 * its reason (Gateway API: 500).
 */
final class BackendHandler implements HttpHandler {

  private final PipelineContext context;
  private final HttpHandler ai;
  private final HttpHandler host;

  BackendHandler(PipelineContext context, HttpHandler ai, HttpHandler host) {
    this.context = requireNonNull(context, "context");
    this.ai = requireNonNull(ai, "ai");
    this.host = requireNonNull(host, "host");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    RouteDecision route = exchange.getAttachment(Attachments.ROUTE);
    ResolvedBackend backend =
        BackendSelector.select(route.route().backends(), context.random())
            .orElseThrow(() -> new GatewayException(
                ErrorReason.BACKEND_UNAVAILABLE, "route " + route.route().id() + " has no backend to send to"));
    exchange.getAttachment(Attachments.USAGE).backend(backend.name());
    exchange.putAttachment(Attachments.BACKEND, backend);
    if (backend instanceof ResolvedBackend.Unavailable unavailable) {
      throw new GatewayException(ErrorReason.BACKEND_UNAVAILABLE, unavailable.reason());
    } else if (backend instanceof ResolvedBackend.Ai) {
      ai.handleRequest(exchange);
    } else {
      host.handleRequest(exchange);
    }
  }
}
