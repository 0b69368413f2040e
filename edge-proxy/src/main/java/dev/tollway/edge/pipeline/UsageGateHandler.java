package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;

/**
 * Refuses a request that could not be metered: with {@code TOLLWAY_USAGE_OVERFLOW=fail-closed} and the usage
 * buffer full, {@code UNAVAILABLE} (503, {@code Retry-After: 1}) in the caller's API shape, before anything goes
 * upstream.
 */
final class UsageGateHandler implements HttpHandler {

  private final PipelineContext context;
  private final HttpHandler next;

  UsageGateHandler(PipelineContext context, HttpHandler next) {
    this.context = requireNonNull(context, "context");
    this.next = requireNonNull(next, "next");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    if (!context.usage().accepting()) {
      throw new GatewayException(ErrorReason.UNAVAILABLE, 503,
          "the gateway cannot record usage right now (its usage buffer is full); try again shortly",
          Duration.ofSeconds(1), null);
    }
    next.handleRequest(exchange);
  }
}
