package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.trace.TraceContext;
import dev.tollway.edge.usage.AccessLog;
import dev.tollway.edge.usage.RequestUsage;
import dev.tollway.schemas.usage.UsageEvent;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the request's span (joining the caller's W3C trace, if it sent a {@code traceparent}) and usage record
 * and, when the exchange completes, turns the record into its usage events (one per upstream attempt, handed to
 * the sink without waiting), the request metrics, one access-log line and the ended spans.
 */
final class UsageHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(UsageHandler.class);
  static final HttpString TRACEPARENT = new HttpString("traceparent");

  private final PipelineContext context;
  private final HttpHandler next;

  UsageHandler(PipelineContext context, HttpHandler next) {
    this.context = requireNonNull(context, "context");
    this.next = requireNonNull(next, "next");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    Instant start = context.clock().instant();
    TraceContext incoming = TraceContext.parse(exchange.getRequestHeaders().getFirst(TRACEPARENT));
    RequestUsage usage = new RequestUsage(
        exchange.getAttachment(Attachments.REQUEST_ID),
        context.tracing().startRequest(incoming, start),
        start,
        context.defaultGateway());
    exchange.putAttachment(Attachments.USAGE, usage);
    String method = exchange.getRequestMethod().toString();
    String path = exchange.getRequestPath();
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
          usage.toEvents(RandomIds::uuid, context.clock().instant(), exchange.getStatusCode());
      for (UsageEvent event : events) {
        context.usage().submit(event);
      }
      context.metrics().completed(events);
      AccessLog.write(events, method, path);
      usage.span().end(method, path, events);
    } catch (RuntimeException e) {
      LOG.error("usage of requestId={} not recorded", usage.requestId(), e);
    }
  }
}
