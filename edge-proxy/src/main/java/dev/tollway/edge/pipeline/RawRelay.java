package dev.tollway.edge.pipeline;

import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.ChatResponse;
import dev.tollway.edge.llm.StreamDecoder;
import dev.tollway.edge.upstream.UpstreamCall;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * An upstream answer relayed as it is: status, headers (minus hop-by-hop) and body chunk by chunk with flow
 * control. With a codec to meter by (an AI passthrough), usage is read from a copy of the body when it is a
 * JSON answer or an event stream that the codec recognises; what it cannot read is simply not metered.
 */
final class RawRelay extends RelayBase {

  private static final int METER_LIMIT = 8 * 1024 * 1024;

  private final @Nullable ChatCodec meterCodec;
  private @Nullable ClientStream client;
  private @Nullable StreamDecoder streamMeter;
  private @Nullable BoundedBody jsonMeter;

  RawRelay(HttpServerExchange exchange, PipelineContext context, String endpoint, @Nullable ChatCodec meterCodec) {
    super(exchange, context, endpoint, null);
    this.meterCodec = meterCodec;
  }

  @Override
  protected void responseStarted(UpstreamCall call, int status, HeaderMap headers) {
    exchange.setStatusCode(status);
    ForwardHeaders.copyResponse(headers, exchange.getResponseHeaders());
    client = new ClientStream(exchange, call, cause -> usage.errorClass("CLIENT_DISCONNECTED"));
    String contentType = headers.getFirst(Headers.CONTENT_TYPE);
    if (meterCodec != null && contentType != null && status < 400) {
      String type = contentType.toLowerCase(Locale.ROOT);
      if (type.startsWith("text/event-stream")) {
        streamMeter = meterCodec.streamDecoder();
        usage.streamed(true);
      } else if (type.startsWith("application/json")) {
        jsonMeter = new BoundedBody(METER_LIMIT);
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
    meter(copy);
    out.write(copy);
  }

  @Override
  public void onComplete(UpstreamCall call) {
    ClientStream out = client;
    if (out == null) {
      return;
    }
    finishMeter();
    out.finish(new byte[0]);
  }

  @Override
  public void onError(UpstreamCall call, GatewayException error) {
    // before the answer started: a proper error; after: the connection is cut (see ErrorResponder)
    if (client != null && streamMeter != null) {
      usage.streamCut();
    }
    ErrorResponder.send(exchange, error);
  }

  private void meter(byte[] copy) {
    try {
      if (streamMeter != null) {
        observe(streamMeter.decode(ByteBuffer.wrap(copy)));
      } else if (jsonMeter != null) {
        jsonMeter.append(ByteBuffer.wrap(copy));
      }
    } catch (RuntimeException e) {
      // not a stream the codec understands: relay it unmetered
      streamMeter = null;
    }
  }

  private void finishMeter() {
    try {
      if (streamMeter != null) {
        observe(streamMeter.end());
        if (!streamMeter.completed()) {
          usage.streamCut();
        }
      } else if (jsonMeter != null && !jsonMeter.overflowed() && meterCodec != null) {
        var json = UpstreamErrors.parseOrNull(jsonMeter.toByteArray());
        if (json != null && json.isObject()) {
          ChatResponse response = meterCodec.decodeResponse(json);
          usage.tokens(response.usage());
          usage.responseModel(response.model());
        }
      }
    } catch (RuntimeException e) {
      // not an answer the codec understands: unmetered
    }
  }

  private void observe(java.util.List<ChatEvent> events) {
    for (ChatEvent event : events) {
      if (event.isContent()) {
        usage.firstToken(context.clock().instant());
      }
      if (event instanceof ChatEvent.Start start) {
        usage.responseModel(start.model());
      } else if (event instanceof ChatEvent.Usage counts) {
        usage.tokens(counts.counts());
      }
    }
  }
}
