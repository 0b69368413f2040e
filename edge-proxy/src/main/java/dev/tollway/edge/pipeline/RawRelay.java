package dev.tollway.edge.pipeline;

import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.upstream.UpstreamCall;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * An upstream answer relayed as it is: status, headers (minus hop-by-hop) and body chunk by chunk with flow
 * control. When metered (an AI passthrough), usage is read from a copy of the body by a {@link UsageSniffer}
 * when it is a JSON answer or an event stream that carries usage; what it cannot read is simply not metered.
 */
final class RawRelay extends RelayBase {

  private final boolean meter;
  private @Nullable ClientStream client;
  private @Nullable UsageSniffer sniffer;

  RawRelay(HttpServerExchange exchange, PipelineContext context, String endpoint, boolean meter) {
    super(exchange, context, endpoint, null);
    this.meter = meter;
  }

  @Override
  protected void responseStarted(UpstreamCall call, int status, HeaderMap headers) {
    exchange.setStatusCode(status);
    ForwardHeaders.copyResponse(headers, exchange.getResponseHeaders());
    client = new ClientStream(exchange, call, cause -> usage.errorClass("CLIENT_DISCONNECTED"));
    if (meter && status < 400) {
      sniffer = UsageSniffer.forContentType(headers.getFirst(Headers.CONTENT_TYPE));
      if (sniffer != null && sniffer.streams()) {
        usage.streamed(true);
      }
    }
  }

  @Override
  public void onBodyChunk(UpstreamCall call, ByteBuffer chunk) {
    ClientStream out = client;
    if (out == null) {
      return;
    }
    byte[] copy = new byte[chunk.remaining()];
    chunk.get(copy);
    if (sniffer != null) {
      usage.firstToken(context.clock().instant());
      sniffer.feed(copy);
    }
    out.write(copy);
  }

  @Override
  public void onComplete(UpstreamCall call) {
    ClientStream out = client;
    if (out == null) {
      return;
    }
    UsageSniffer meterNow = sniffer;
    if (meterNow != null) {
      meterNow.end();
      usage.tokens(meterNow.counts());
      usage.responseModel(meterNow.model());
      if (meterNow.cutShort()) {
        usage.streamCut();
      }
    }
    out.finish(new byte[0]);
  }

  @Override
  public void onError(UpstreamCall call, GatewayException error) {
    // before the answer started: a proper error; after: the connection is cut (see ErrorResponder)
    UsageSniffer meterNow = sniffer;
    if (client != null && meterNow != null && meterNow.streams()) {
      usage.tokens(meterNow.counts());
      usage.streamCut();
    }
    ErrorResponder.send(exchange, error);
  }
}
