package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.provider.ProviderProtocol;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.routing.RouteDecision;
import dev.tollway.edge.upstream.UpstreamRequest;
import dev.tollway.edge.upstream.UpstreamResponseHandler;
import dev.tollway.edge.usage.RequestUsage;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;

/**
 * Sends the chat request to the provider in its format (target, credential headers, encoded body) and
 * relays the answer: whole for a non-streamed request, event by event for a streamed one.
 */
final class ChatUpstreamHandler implements HttpHandler {

  private final PipelineContext context;

  ChatUpstreamHandler(PipelineContext context) {
    this.context = requireNonNull(context, "context");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    Attachments.ProviderCall call = exchange.getAttachment(Attachments.PROVIDER_CALL);
    ChatCodec clientCodec = exchange.getAttachment(Attachments.CLIENT_CODEC);
    ChatRequest clientRequest = exchange.getAttachment(Attachments.CHAT_REQUEST);
    RouteDecision route = exchange.getAttachment(Attachments.ROUTE);
    RequestUsage usage = exchange.getAttachment(Attachments.USAGE);
    ProviderProtocol protocol = call.provider().protocol();
    ChatRequest request = call.request();
    ChatCodec providerCodec = protocol.chatCodec(clientCodec.format());
    if (providerCodec.format() != clientCodec.format()) {
      clientCodec.checkTranslatable(clientRequest);
    }

    UpstreamTarget target =
        protocol.chatTarget(call.provider().provider(), clientCodec.format(), request.model(), request.stream());
    HeaderMap headers = ForwardHeaders.forProvider(exchange.getRequestHeaders(), route.headerModifiers());
    headers.put(Headers.CONTENT_TYPE, "application/json");
    headers.put(Headers.ACCEPT, request.stream() ? "text/event-stream" : "application/json");
    headers.put(RequestIdHandler.X_REQUEST_ID, exchange.getAttachment(Attachments.REQUEST_ID));
    byte[] body = providerCodec.encodeRequest(request).toString().getBytes(StandardCharsets.UTF_8);
    String credential = Credentials.forProvider(call.provider(), exchange);

    usage.endpoint(target.authority());
    usage.upstreamCalled();
    UpstreamResponseHandler relay =
        request.stream()
            ? new StreamingChatRelay(exchange, context, target.authority(), clientCodec, providerCodec, clientRequest)
            : new BufferedChatRelay(exchange, context, target.authority(), clientCodec, providerCodec, clientRequest);
    Duration timeout = attemptTimeout(route, context.upstreamTimeout());
    // Authentication may sign the body (SigV4) or wait for a token refresh on another thread: the call goes
    // out on the exchange's IO thread once the credential headers are known.
    exchange.dispatch(
        SameThreadExecutor.INSTANCE,
        () -> protocol.authenticate(call.provider().provider(), target, "POST", body, credential)
            .whenComplete((auth, failure) -> exchange.getIoThread().execute(() -> {
              if (failure != null) {
                ErrorResponder.send(exchange, unwrap(failure));
                return;
              }
              auth.forEach((name, value) -> headers.put(new HttpString(name), value));
              context.upstream().send(
                  exchange.getIoThread(), new UpstreamRequest(target, "POST", headers, body, null), timeout, relay);
            })));
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }

  /** The route's per-attempt timeout ({@code timeouts.backendRequest}), else the proxy's. */
  static Duration attemptTimeout(RouteDecision route, Duration fallback) {
    var timeouts = route.route().entry().timeouts();
    if (timeouts != null && timeouts.backendRequestMillis() != null && timeouts.backendRequestMillis() > 0) {
      return Duration.ofMillis(timeouts.backendRequestMillis());
    }
    return fallback;
  }
}
