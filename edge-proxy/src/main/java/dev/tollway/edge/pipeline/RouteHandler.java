package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.routing.RequestView;
import dev.tollway.edge.routing.RouteDecision;
import dev.tollway.edge.routing.RoutingTable;
import dev.tollway.edge.usage.RequestUsage;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Matches the request against the routing table current when it arrived: {@code UNAVAILABLE} while no
 * snapshot is loaded, {@code ROUTE_NOT_FOUND} when nothing matches.
 */
final class RouteHandler implements HttpHandler {

  private final PipelineContext context;
  private final HttpHandler next;

  RouteHandler(PipelineContext context, HttpHandler next) {
    this.context = requireNonNull(context, "context");
    this.next = requireNonNull(next, "next");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    RoutingTable table = context.routes().get();
    if (!table.hasGateways()) {
      throw new GatewayException(ErrorReason.UNAVAILABLE, "the gateway has no configuration yet");
    }
    RequestView request = view(exchange);
    RequestUsage usage = exchange.getAttachment(Attachments.USAGE);
    Optional<RouteDecision> decision = table.match(request);
    if (decision.isEmpty()) {
      table.listenerFor(request).ifPresent(ref -> {
        usage.gateway(ref.gateway());
        usage.listener(ref.listener());
      });
      throw new GatewayException(
          ErrorReason.ROUTE_NOT_FOUND, "no route for " + request.method() + " " + request.path());
    }
    RouteDecision route = decision.get();
    usage.gateway(route.route().gateway());
    usage.listener(route.listener());
    usage.route(route.route().id());
    exchange.putAttachment(Attachments.ROUTE, route);
    next.handleRequest(exchange);
  }

  static RequestView view(HttpServerExchange exchange) {
    Integer declared = exchange.getAttachment(Attachments.DECLARED_PORT);
    int port = declared != null ? declared : exchange.getDestinationAddress().getPort();
    Map<String, List<String>> query = new HashMap<>();
    for (Map.Entry<String, Deque<String>> param : exchange.getQueryParameters().entrySet()) {
      query.put(param.getKey(), List.copyOf(param.getValue()));
    }
    return new RequestView(
        port,
        exchange.getRequestMethod().toString(),
        RequestView.hostWithoutPort(exchange.getRequestHeaders().getFirst(Headers.HOST)),
        rawPath(exchange.getRequestURI()),
        exchange.getQueryString() == null ? "" : exchange.getQueryString(),
        new HeaderMapView(exchange.getRequestHeaders()),
        query);
  }

  /** The path of the request URI as sent, without decoding (origin form or absolute form). */
  static String rawPath(String requestUri) {
    if (requestUri.startsWith("/")) {
      return requestUri;
    }
    int scheme = requestUri.indexOf("://");
    if (scheme > 0) {
      int slash = requestUri.indexOf('/', scheme + 3);
      return slash < 0 ? "/" : requestUri.substring(slash);
    }
    return "/" + requestUri;
  }
}
