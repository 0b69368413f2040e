package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.upstream.UpstreamCall;
import dev.tollway.edge.upstream.UpstreamResponseHandler;
import dev.tollway.edge.usage.RequestUsage;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** What every relay of an upstream answer shares: the exchange, its usage record, upstream latency. */
abstract class RelayBase implements UpstreamResponseHandler {

  protected final HttpServerExchange exchange;
  protected final RequestUsage usage;
  protected final PipelineContext context;
  protected final @Nullable AttemptOutcome outcome;
  private final String endpoint;
  private final long sentNanos = System.nanoTime();

  /**
   * @param outcome told how the attempt went, for retries and health; null for single-attempt relays
   */
  RelayBase(HttpServerExchange exchange, PipelineContext context, String endpoint, @Nullable AttemptOutcome outcome) {
    this.exchange = requireNonNull(exchange, "exchange");
    this.context = requireNonNull(context, "context");
    this.usage = exchange.getAttachment(Attachments.USAGE);
    this.endpoint = requireNonNull(endpoint, "endpoint");
    this.outcome = outcome;
  }

  @Override
  public final void onResponseStart(UpstreamCall call, int status, HeaderMap headers) {
    Duration latency = Duration.ofNanos(System.nanoTime() - sentNanos);
    context.metrics().upstreamLatency(usage.provider(), endpoint, status, latency);
    if (outcome != null) {
      outcome.answered(status, latency);
    }
    responseStarted(call, status, headers);
  }

  /** The attempt failed before the client got anything: the attempt loop decides; without one, the error goes out. */
  protected void fail(GatewayException error, int upstreamStatus, boolean noAnswer) {
    if (outcome != null) {
      outcome.failed(error, upstreamStatus, noAnswer);
    } else {
      ErrorResponder.send(exchange, error);
    }
  }

  /** The answer's first byte goes to the client. */
  protected void commit(int status) {
    if (outcome != null) {
      outcome.committed(status);
    }
  }

  protected abstract void responseStarted(UpstreamCall call, int status, HeaderMap headers);
}
