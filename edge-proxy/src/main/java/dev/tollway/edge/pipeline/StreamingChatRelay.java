package dev.tollway.edge.pipeline;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.StreamDecoder;
import dev.tollway.edge.llm.StreamEncoder;
import dev.tollway.edge.upstream.UpstreamCall;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A streamed chat answer, relayed as the bytes arrive: the provider's stream decoder turns them into
 * events (for usage, and for the client's encoder when the formats differ); when client and provider speak
 * the same format the provider's bytes go out unchanged. The client's stream ends cleanly only when the
 * provider's stream completed; otherwise it ends with an error event ({@code UPSTREAM_STREAM_INTERRUPTED}).
 */
final class StreamingChatRelay extends RelayBase {

  private final ChatCodec providerCodec;
  private final boolean sameFormat;
  private final StreamDecoder decoder;
  private final StreamEncoder encoder;
  private @Nullable BoundedBody errorBody;
  private @Nullable ClientStream client;
  private HeaderMap headers = new HeaderMap();
  private int status;
  private @Nullable GatewayException providerFailure;

  StreamingChatRelay(
      HttpServerExchange exchange,
      PipelineContext context,
      String endpoint,
      ChatCodec clientCodec,
      ChatCodec providerCodec,
      dev.tollway.edge.llm.ChatRequest clientRequest) {
    super(exchange, context, endpoint);
    this.providerCodec = providerCodec;
    this.sameFormat = clientCodec.format() == providerCodec.format();
    this.decoder = providerCodec.streamDecoder();
    this.encoder = clientCodec.streamEncoder(clientRequest);
  }

  @Override
  protected void responseStarted(UpstreamCall call, int status, HeaderMap headers) {
    this.status = status;
    this.headers = headers;
    if (status >= 400) {
      errorBody = new BoundedBody(BoundedBody.MAX_BYTES);
      return;
    }
    exchange.setStatusCode(200);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream");
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
    exchange.getResponseHeaders().remove(Headers.CONTENT_LENGTH);
    client = new ClientStream(exchange, call, cause -> {
      usage.streamCut();
      usage.errorClass("CLIENT_DISCONNECTED");
    });
  }

  @Override
  public void onBodyChunk(UpstreamCall call, ByteBuffer chunk) {
    if (errorBody != null) {
      if (!errorBody.append(chunk)) {
        call.cancel();
        ErrorResponder.send(exchange, new GatewayException(ErrorReason.UPSTREAM_ERROR,
            "the provider answered " + status + " with an oversized body"));
      }
      return;
    }
    ClientStream out = client;
    if (out == null || out.isFinished()) {
      return;
    }
    byte[] copy = new byte[chunk.remaining()];
    chunk.get(copy);
    List<ChatEvent> events = decoder.decode(ByteBuffer.wrap(copy));
    if (sameFormat) {
      observe(events);
      out.write(copy);
    } else {
      out.write(encode(events));
    }
  }

  @Override
  public void onComplete(UpstreamCall call) {
    if (errorBody != null) {
      ErrorResponder.send(exchange, UpstreamErrors.decode(providerCodec, status, headers, errorBody.toByteArray()));
      return;
    }
    ClientStream out = client;
    if (out == null) {
      return;
    }
    List<ChatEvent> rest = decoder.end();
    byte[] tail = sameFormat ? observeAndEmpty(rest) : encode(rest);
    if (providerFailure != null) {
      usage.errorClass(providerFailure.reason().name());
      out.finish(concat(tail, sameFormat ? new byte[0] : encoder.finish(providerFailure)));
    } else if (decoder.completed()) {
      out.finish(concat(tail, sameFormat ? new byte[0] : encoder.finish(null)));
    } else {
      out.finish(concat(tail, cut("the provider's stream ended before it was complete")));
    }
  }

  @Override
  public void onError(UpstreamCall call, GatewayException error) {
    ClientStream out = client;
    if (out == null) {
      ErrorResponder.send(exchange, error);
      return;
    }
    out.finish(cut("the provider's stream broke off: " + error.getMessage()));
  }

  private byte[] cut(String message) {
    GatewayException interrupted = new GatewayException(ErrorReason.UPSTREAM_STREAM_INTERRUPTED, message);
    usage.streamCut();
    usage.errorClass(interrupted.reason().name());
    return encoder.finish(interrupted);
  }

  private byte[] encode(List<ChatEvent> events) {
    observe(events);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (ChatEvent event : events) {
      if (event instanceof ChatEvent.Failure) {
        continue;
      }
      bytes.writeBytes(encoder.encode(event));
    }
    return bytes.toByteArray();
  }

  private byte[] observeAndEmpty(List<ChatEvent> events) {
    observe(events);
    return new byte[0];
  }

  private void observe(List<ChatEvent> events) {
    for (ChatEvent event : events) {
      if (event.isContent()) {
        usage.firstToken(context.clock().instant());
      }
      if (event instanceof ChatEvent.Start start) {
        usage.responseModel(start.model());
      } else if (event instanceof ChatEvent.Usage counts) {
        usage.tokens(counts.counts());
      } else if (event instanceof ChatEvent.Failure failure && providerFailure == null) {
        providerFailure = failure.error();
      }
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    if (a.length == 0) {
      return b;
    }
    if (b.length == 0) {
      return a;
    }
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
