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
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Client API key authentication, for routes whose policy asks for it: the key from
 * {@code Authorization: Bearer}, {@code x-api-key}, {@code x-goog-api-key} or Gemini's {@code key} query
 * parameter (the first of them that holds a valid key: a client may send its own token for a plain backend
 * in {@code Authorization} and the gateway key in {@code x-api-key}) is digested with the snapshot key and
 * checked against the keys of the routing table the request matched in. {@code Strict} refuses a
 * request without a valid key, {@code Optional} lets a request without a key through anonymously but still
 * refuses an unknown key: 401 {@code UNAUTHENTICATED} in the caller's API shape. The key's id, name, team,
 * user and tags become the request's caller (usage event, access log); the key itself is never kept, and the
 * header or query parameter that carried it is removed so that it reaches no backend.
 */
final class ApiKeyHandler implements HttpHandler {

  /** Where a client API key may be, in the order they are tried. */
  private static final List<HttpString> KEY_HEADERS =
      List.of(Headers.AUTHORIZATION, new HttpString("x-api-key"), new HttpString("x-goog-api-key"));

  private final PipelineContext context;
  private final HttpHandler next;

  ApiKeyHandler(PipelineContext context, HttpHandler next) {
    this.context = requireNonNull(context, "context");
    this.next = requireNonNull(next, "next");
  }

  /** The key in a header: {@code Authorization} without its {@code Bearer} scheme, the others as they are. */
  private static @Nullable String presented(HeaderMap headers, HttpString header) {
    String value = headers.getFirst(header);
    if (value == null) {
      return null;
    }
    value = value.strip();
    if (header.equals(Headers.AUTHORIZATION) && value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      value = value.substring(7).strip();
    }
    return value.isEmpty() ? null : value;
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
    @Nullable Verdict refusal = null;
    for (HttpString header : KEY_HEADERS) {
      String presented = presented(headers, header);
      if (presented == null) {
        continue;
      }
      Verdict checked = keys.check(presented, context.keyDigest());
      if (checked instanceof Verdict.Authenticated authenticated) {
        accept(exchange, authenticated.key());
        headers.remove(header);
        next.handleRequest(exchange);
        return;
      }
      if (refusal == null) {
        refusal = checked;
      }
    }
    String queryKey = QueryKey.in(route.query());
    if (queryKey != null) {
      Verdict checked = keys.check(queryKey, context.keyDigest());
      if (checked instanceof Verdict.Authenticated authenticated) {
        accept(exchange, authenticated.key());
        exchange.putAttachment(Attachments.ROUTE, route.withQuery(QueryKey.without(route.query())));
        next.handleRequest(exchange);
        return;
      }
      if (refusal == null) {
        refusal = checked;
      }
    }
    Verdict verdict = refusal != null ? refusal : keys.check(null, context.keyDigest());
    if (verdict instanceof Verdict.Refused refused) {
      context.metrics().rejection(ErrorReason.UNAUTHENTICATED.name(), route.route().id());
      EarlyCodec.attach(exchange, context);
      throw new GatewayException(ErrorReason.UNAUTHENTICATED, refused.message());
    }
    next.handleRequest(exchange);
  }

  private static void accept(HttpServerExchange exchange, ClientApiKey key) {
    exchange.putAttachment(Attachments.CALLER, key);
    exchange.getAttachment(Attachments.USAGE).caller(
        new UsageEvent.Caller(key.id(), key.name(), key.team(), key.user(), key.tags()));
  }
}
