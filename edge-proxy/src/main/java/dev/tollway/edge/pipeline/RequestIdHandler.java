package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Gives the request its id: the client's {@code x-request-id} when it is sane (1 to 128 visible ASCII
 * characters of a safe set), else a new one; echoes it on the response.
 */
final class RequestIdHandler implements HttpHandler {

  static final HttpString X_REQUEST_ID = new HttpString("x-request-id");
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

  private final HttpHandler next;

  RequestIdHandler(HttpHandler next) {
    this.next = requireNonNull(next, "next");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String id = saneOrNew(exchange.getRequestHeaders().getFirst(X_REQUEST_ID));
    exchange.putAttachment(Attachments.REQUEST_ID, id);
    exchange.getResponseHeaders().put(X_REQUEST_ID, id);
    next.handleRequest(exchange);
  }

  static String saneOrNew(@Nullable String candidate) {
    if (candidate != null && SANE.matcher(candidate).matches()) {
      return candidate;
    }
    return RandomIds.uuid();
  }
}
