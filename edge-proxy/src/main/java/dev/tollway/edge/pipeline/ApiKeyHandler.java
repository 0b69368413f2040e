package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.auth.RouteKeys;
import dev.tollway.edge.auth.RouteKeys.Verdict;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.routing.RouteDecision;
import dev.tollway.schemas.snapshot.ApiKeySet.ClientApiKey;
import dev.tollway.schemas.usage.UsageEvent;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

/**
 * Client API key authentication, for routes whose policy asks for it: the key from
 * {@code Authorization: Bearer}, {@code x-api-key} or {@code x-goog-api-key} is digested with the snapshot
 * key and checked against the keys of the routing table the request matched in. {@code Strict} refuses a
 * request without a valid key, {@code Optional} lets a request without a key through anonymously but still
 * refuses an unknown key: 401 {@code UNAUTHENTICATED} in the caller's API shape. The key's id, name, team,
 * user and tags become the request's caller (usage event, access log); the key itself is never kept, and its
 * header is removed so that it reaches no backend.
 */
final class ApiKeyHandler implements HttpHandler {

  private static final HttpString X_API_KEY = new HttpString("x-api-key");
  private static final HttpString X_GOOG_API_KEY = new HttpString("x-goog-api-key");

  private final PipelineContext context;
  private final HttpHandler next;

  ApiKeyHandler(PipelineContext context, HttpHandler next) {
    this.context = requireNonNull(context, "context");
    this.next = requireNonNull(next, "next");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    RouteDecision route = exchange.getAttachment(Attachments.ROUTE);
    RouteKeys keys = route.route().keys();
    if (!keys.enabled()) {
      next.handleRequest(exchange);
      return;
    }
    HeaderMap headers = exchange.getRequestHeaders();
    Verdict verdict = keys.check(Credentials.clientCredential(headers), context.keyDigest());
    if (verdict instanceof Verdict.Refused refused) {
      context.metrics().rejection(ErrorReason.UNAUTHENTICATED.name(), route.route().id());
      EarlyCodec.attach(exchange, context);
      throw new GatewayException(ErrorReason.UNAUTHENTICATED, refused.message());
    }
    if (verdict instanceof Verdict.Authenticated authenticated) {
      ClientApiKey key = authenticated.key();
      exchange.putAttachment(Attachments.CALLER, key);
      exchange.getAttachment(Attachments.USAGE).caller(
          new UsageEvent.Caller(key.id(), key.name(), key.team(), key.user(), key.tags()));
      headers.remove(Headers.AUTHORIZATION);
      headers.remove(X_API_KEY);
      headers.remove(X_GOOG_API_KEY);
    }
    next.handleRequest(exchange);
  }
}
