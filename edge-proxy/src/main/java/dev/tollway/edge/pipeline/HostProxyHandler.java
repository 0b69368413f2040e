package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.routing.ResolvedBackend;
import dev.tollway.edge.routing.RouteDecision;
import dev.tollway.edge.upstream.UpstreamRequest;
import dev.tollway.edge.usage.RequestUsage;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;

/**
 * A plain HTTP backend (a Kubernetes {@code Service}): the request goes as it is — method, path after the
 * route's filters, headers minus hop-by-hop ones, the client's {@code Host} unless a rewrite sets one — and
 * the answer comes back chunk by chunk.
 */
final class HostProxyHandler implements HttpHandler {

  private static final HttpString X_FORWARDED_FOR = new HttpString("x-forwarded-for");
  private static final HttpString X_FORWARDED_PROTO = new HttpString("x-forwarded-proto");

  private final PipelineContext context;

  HostProxyHandler(PipelineContext context) {
    this.context = requireNonNull(context, "context");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    ResolvedBackend.Host backend = (ResolvedBackend.Host) exchange.getAttachment(Attachments.BACKEND);
    RouteDecision route = exchange.getAttachment(Attachments.ROUTE);
    RequestUsage usage = exchange.getAttachment(Attachments.USAGE);
    UpstreamTarget target = new UpstreamTarget(
        backend.host().hostname(), backend.host().port(), backend.host().tls(), route.pathAndQuery());
    HeaderMap headers = ForwardHeaders.forHost(exchange.getRequestHeaders(), route.headerModifiers());
    headers.put(RequestIdHandler.X_REQUEST_ID, exchange.getAttachment(Attachments.REQUEST_ID));
    String client = exchange.getSourceAddress() == null ? null : exchange.getSourceAddress().getAddress().getHostAddress();
    if (client != null) {
      String prior = exchange.getRequestHeaders().getFirst(X_FORWARDED_FOR);
      headers.put(X_FORWARDED_FOR, prior == null ? client : prior + ", " + client);
    }
    headers.put(X_FORWARDED_PROTO, exchange.getRequestScheme());
    String host = route.hostRewrite() != null ? route.hostRewrite() : exchange.getRequestHeaders().getFirst(Headers.HOST);
    usage.endpoint(target.authority());
    usage.upstreamCalled();
    ForwardHeaders.trace(headers, usage);
    UpstreamRequest request = new UpstreamRequest(
        target, exchange.getRequestMethod().toString(), headers, exchange.getAttachment(Attachments.BODY), host);
    RawRelay relay = new RawRelay(exchange, context, target.authority(), false);
    exchange.dispatch(
        SameThreadExecutor.INSTANCE,
        () -> context.upstream().send(
            exchange.getIoThread(), request, ChatAttempts.attemptTimeout(route, null, context.upstreamTimeout()), relay));
  }
}
