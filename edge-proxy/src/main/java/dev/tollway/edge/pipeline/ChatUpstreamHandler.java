package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;

/**
 * Sends the chat request to the provider in its format and relays the answer — whole for a non-streamed
 * request, event by event for a streamed one — through {@link ChatAttempts}: retries, failover and timeouts.
 */
final class ChatUpstreamHandler implements HttpHandler {

  private final PipelineContext context;

  ChatUpstreamHandler(PipelineContext context) {
    this.context = requireNonNull(context, "context");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    ChatAttempts attempts = new ChatAttempts(exchange, context);
    exchange.dispatch(SameThreadExecutor.INSTANCE, attempts::start);
  }
}
