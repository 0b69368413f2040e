package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.upstream.UpstreamCall;
import dev.tollway.edge.upstream.UpstreamResponseHandler;
import dev.tollway.edge.usage.RequestUsage;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import java.time.Duration;

/** What every relay of an upstream answer shares: the exchange, its usage record, upstream latency. */
abstract class RelayBase implements UpstreamResponseHandler {

  protected final HttpServerExchange exchange;
  protected final RequestUsage usage;
  protected final PipelineContext context;
  private final String endpoint;
  private final long sentNanos = System.nanoTime();

  RelayBase(HttpServerExchange exchange, PipelineContext context, String endpoint) {
    this.exchange = requireNonNull(exchange, "exchange");
    this.context = requireNonNull(context, "context");
    this.usage = exchange.getAttachment(Attachments.USAGE);
    this.endpoint = requireNonNull(endpoint, "endpoint");
  }

  @Override
  public final void onResponseStart(UpstreamCall call, int status, HeaderMap headers) {
    context.metrics().upstreamLatency(
        usage.provider(), endpoint, status, Duration.ofNanos(System.nanoTime() - sentNanos));
    responseStarted(call, status, headers);
  }

  protected abstract void responseStarted(UpstreamCall call, int status, HeaderMap headers);
}
