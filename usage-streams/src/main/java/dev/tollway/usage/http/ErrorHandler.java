package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where a failed request becomes a status and a JSON error body. */
final class ErrorHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

  private final HttpHandler next;

  ErrorHandler(HttpHandler next) {
    this.next = requireNonNull(next, "next");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    try {
      next.handleRequest(exchange);
    } catch (ApiException e) {
      answer(exchange, e.reason(), e.getMessage());
    } catch (InvalidStateStoreException e) {
      LOG.debug("usage store not queryable: path={} reason={}", exchange.getRequestPath(), e.getMessage());
      answer(exchange, ApiError.NOT_READY, "usage store is not ready yet (starting or rebalancing); retry shortly");
    } catch (Exception e) {
      LOG.error("request failed: path={}", exchange.getRequestPath(), e);
      answer(exchange, ApiError.INTERNAL, "internal error");
    }
  }

  private static void answer(HttpServerExchange exchange, ApiError reason, String message) {
    if (exchange.isResponseStarted()) {
      exchange.endExchange();
      return;
    }
    JsonResponses.sendError(exchange, reason, message);
  }
}
