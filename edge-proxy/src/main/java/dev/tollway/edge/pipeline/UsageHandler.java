package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.usage.AccessLog;
import dev.tollway.edge.usage.RequestUsage;
import dev.tollway.schemas.usage.UsageEvent;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the request's usage record and, when the exchange completes, turns it into its usage events (one per
 * upstream attempt, handed to the sink without waiting), one access-log line and the request metrics.
 */
final class UsageHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(UsageHandler.class);
  private static final HttpString TRACEPARENT = new HttpString("traceparent");

  private final PipelineContext context;
  private final HttpHandler next;

  UsageHandler(PipelineContext context, HttpHandler next) {
    this.context = requireNonNull(context, "context");
    this.next = requireNonNull(next, "next");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    RequestUsage usage =
        new RequestUsage(
            exchange.getAttachment(Attachments.REQUEST_ID),
            exchange.getRequestHeaders().getFirst(TRACEPARENT),
            context.clock().instant(),
            context.defaultGateway());
    exchange.putAttachment(Attachments.USAGE, usage);
    String method = exchange.getRequestMethod().toString();
    String path = exchange.getRequestURI();
    exchange.addExchangeCompleteListener(
        (ex, nextListener) -> {
          try {
            complete(ex, usage, method, path);
          } finally {
            nextListener.proceed();
          }
        });
    next.handleRequest(exchange);
  }

  private void complete(HttpServerExchange exchange, RequestUsage usage, String method, String path) {
    try {
      List<UsageEvent> events =
          usage.toEvents(() -> UUID.randomUUID().toString(), context.clock().instant(), exchange.getStatusCode());
      for (UsageEvent event : events) {
        context.usage().submit(event);
      }
      UsageEvent last = events.get(events.size() - 1);
      context.metrics().request(usage.route(), last.status(), last.errorClass());
      AccessLog.write(last, method, path);
    } catch (RuntimeException e) {
      LOG.error("usage of requestId={} not recorded", usage.requestId(), e);
    }
  }
}
