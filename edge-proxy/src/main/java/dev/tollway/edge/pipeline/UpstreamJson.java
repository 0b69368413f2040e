package dev.tollway.edge.pipeline;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.provider.ProviderProtocol;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.routing.ResolvedBackend.ResolvedProvider;
import dev.tollway.edge.routing.RouteDecision;
import dev.tollway.edge.upstream.UpstreamCall;
import dev.tollway.edge.upstream.UpstreamRequest;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One call of a provider's JSON API that is not chat (embeddings, a token count, the model list): the
 * provider's credential the provider's way ({@link ProviderProtocol#authenticate}), the route's header
 * modifiers, never the client's credentials; the answer read whole (bounded). A status of 400 or more
 * becomes the gateway error the provider's codec reads from it. The future completes on the exchange's IO
 * thread; call it there, with the exchange dispatched.
 */
final class UpstreamJson {

  private UpstreamJson() {}

  /** A provider's successful answer. */
  record Answer(int status, HeaderMap headers, byte[] body) {}

  static CompletableFuture<Answer> call(
      HttpServerExchange exchange, PipelineContext context, ResolvedProvider provider, UpstreamTarget target,
      String method, byte[] body) {
    RouteDecision route = exchange.getAttachment(Attachments.ROUTE);
    ProviderProtocol protocol = provider.protocol();
    HeaderMap headers = ForwardHeaders.forProvider(exchange.getRequestHeaders(), route.headerModifiers());
    headers.remove(Headers.CONTENT_TYPE);
    if (body.length > 0) {
      headers.put(Headers.CONTENT_TYPE, "application/json");
    }
    headers.put(Headers.ACCEPT, "application/json");
    headers.put(RequestIdHandler.X_REQUEST_ID, exchange.getAttachment(Attachments.REQUEST_ID));
    ForwardHeaders.trace(headers, exchange.getAttachment(Attachments.USAGE));
    String credential = Credentials.forProvider(provider, exchange);
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    protocol.authenticate(provider.provider(), target, method, body, credential)
        .whenComplete((auth, failure) -> exchange.getIoThread().execute(() -> {
          if (failure != null) {
            answer.completeExceptionally(unwrap(failure));
            return;
          }
          auth.forEach((name, value) -> headers.put(new HttpString(name), value));
          context.upstream().send(
              exchange.getIoThread(),
              new UpstreamRequest(target, method, headers, body, null),
              ChatAttempts.attemptTimeout(route, backendOf(exchange), context.upstreamTimeout()),
              new Collector(exchange, context, target, provider, answer));
        }));
    return answer;
  }

  static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }

  /** Reads the answer whole and completes the future with it, or with the provider's error. */
  private static final class Collector extends RelayBase {

    private final ResolvedProvider provider;
    private final CompletableFuture<Answer> answer;
    private final BoundedBody body = new BoundedBody(BoundedBody.MAX_BYTES);
    private int status;
    private HeaderMap headers = new HeaderMap();

    Collector(HttpServerExchange exchange, PipelineContext context, UpstreamTarget target, ResolvedProvider provider,
        CompletableFuture<Answer> answer) {
      super(exchange, context, target.authority(), null);
      this.provider = provider;
      this.answer = answer;
    }

    @Override
    protected void responseStarted(UpstreamCall call, int status, HeaderMap headers) {
      this.status = status;
      this.headers = headers;
    }

    @Override
    public void onBodyChunk(UpstreamCall call, ByteBuffer chunk) {
      if (!body.append(chunk)) {
        call.cancel();
        answer.completeExceptionally(new GatewayException(ErrorReason.UPSTREAM_ERROR,
            "the provider's answer is larger than " + BoundedBody.MAX_BYTES + " bytes"));
      }
    }

    @Override
    public void onComplete(UpstreamCall call) {
      byte[] bytes = body.toByteArray();
      if (status >= 400) {
        answer.completeExceptionally(UpstreamErrors.decode(provider.protocol().chatCodec(), status, headers, bytes));
      } else {
        answer.complete(new Answer(status, headers, bytes));
      }
    }

    @Override
    public void onError(UpstreamCall call, GatewayException error) {
      answer.completeExceptionally(error);
    }
  }

  private static dev.tollway.edge.routing.ResolvedBackend.@org.jspecify.annotations.Nullable Ai backendOf(
      io.undertow.server.HttpServerExchange exchange) {
    return exchange.getAttachment(Attachments.BACKEND) instanceof dev.tollway.edge.routing.ResolvedBackend.Ai ai ? ai : null;
  }
}
