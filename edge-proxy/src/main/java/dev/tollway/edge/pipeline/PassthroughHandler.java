package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.provider.ProviderProtocol;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.routing.ResolvedBackend;
import dev.tollway.edge.routing.ResolvedBackend.ResolvedProvider;
import dev.tollway.edge.routing.RouteDecision;
import dev.tollway.edge.upstream.UpstreamRequest;
import dev.tollway.edge.usage.RequestUsage;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.util.Map;

/**
 * An AI {@code Passthrough} (or {@code Detect}) route: the body goes to the provider untouched, on the
 * request's own path (after the route's rewrite; a Gemini client's {@code key} query parameter removed),
 * with the provider's credential instead of the client's; the answer comes back as it is, metered when it
 * carries usage in a shape Tollway knows, JSON or event stream (see {@link UsageSniffer}).
 */
final class PassthroughHandler implements HttpHandler {

  private final PipelineContext context;

  PassthroughHandler(PipelineContext context) {
    this.context = requireNonNull(context, "context");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    ResolvedBackend.Ai backend = (ResolvedBackend.Ai) exchange.getAttachment(Attachments.BACKEND);
    RouteDecision route = exchange.getAttachment(Attachments.ROUTE);
    RequestUsage usage = exchange.getAttachment(Attachments.USAGE);
    ResolvedProvider provider = ProviderHandler.pick(context, backend);
    ProviderProtocol protocol = provider.protocol();
    UpstreamTarget base = protocol.chatTarget(provider.provider(), provider.provider().model(), false);
    UpstreamTarget target = new UpstreamTarget(base.host(), base.port(), base.tls(), withoutKey(route));
    usage.clientApi(RouteTypes.DETECT.equals(exchange.getAttachment(Attachments.ROUTE_TYPE)) ? "detect" : "passthrough");

    HeaderMap headers = ForwardHeaders.forProvider(exchange.getRequestHeaders(), route.headerModifiers());
    for (Map.Entry<String, String> header :
        protocol.headers(Credentials.forProvider(provider, exchange)).entrySet()) {
      headers.put(new HttpString(header.getKey()), header.getValue());
    }
    headers.put(RequestIdHandler.X_REQUEST_ID, exchange.getAttachment(Attachments.REQUEST_ID));
    usage.provider(protocol.otelName());
    usage.providerModel(provider.provider().model());
    usage.endpoint(target.authority());
    usage.upstreamCalled();
    ForwardHeaders.trace(headers, usage);
    UpstreamRequest request = new UpstreamRequest(
        target, exchange.getRequestMethod().toString(), headers, exchange.getAttachment(Attachments.BODY), null);
    RawRelay relay = new RawRelay(exchange, context, target.authority(), true);
    exchange.dispatch(
        SameThreadExecutor.INSTANCE,
        () -> context.upstream().send(
            exchange.getIoThread(), request, ChatAttempts.attemptTimeout(route, backend, context.upstreamTimeout()), relay));
  }

  /** The path and query to send: the client's {@code key=} query parameter (Gemini's key) never leaves. */
  static String withoutKey(RouteDecision route) {
    String query = QueryKey.without(route.query());
    return query.isEmpty() ? route.path() : route.path() + "?" + query;
  }
}
