package dev.tollway.edge.pipeline;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.StreamDecoder;
import dev.tollway.edge.llm.StreamEncoder;
import dev.tollway.edge.upstream.UpstreamCall;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A streamed chat answer, relayed as the bytes arrive: the provider's stream decoder turns them into
 * events (for usage, and for the client's encoder when the formats differ); when client and provider speak
 * the same format the provider's bytes go out unchanged. The client's stream ends cleanly only when the
 * provider's stream completed; otherwise it ends with an error event ({@code UPSTREAM_STREAM_INTERRUPTED}).
 *
 * <p>Nothing is sent to the client before the first bytes of the answer: until then, an error status, a broken
 * connection or a stream that ends empty is a failed attempt the attempt loop may retry elsewhere. From the
 * first byte on, the answer is committed.
 */
final class StreamingChatRelay extends RelayBase {

  private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);

  private final ChatCodec providerCodec;
  private final boolean sameFormat;
  private final StreamDecoder decoder;
  private final StreamEncoder encoder;
  private @Nullable BoundedBody errorBody;
  private @Nullable ClientStream client;
  private HeaderMap headers = new HeaderMap();
  private int status;
  private @Nullable GatewayException providerFailure;
  private long contentChars;
  private byte lastByte = '\n';
  private byte beforeLastByte = '\n';

  StreamingChatRelay(
      HttpServerExchange exchange,
      PipelineContext context,
      String endpoint,
      ChatCodec clientCodec,
      ChatCodec providerCodec,
      ChatRequest clientRequest,
      @Nullable AttemptOutcome outcome) {
    super(exchange, context, endpoint, outcome);
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
    }
  }

  /** The client's stream, opened (and the attempt committed) with the first bytes for the client. */
  private ClientStream open(UpstreamCall call) {
    ClientStream out = client;
    if (out != null) {
      return out;
    }
    commit(status);
    exchange.setStatusCode(200);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream");
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
    exchange.getResponseHeaders().remove(Headers.CONTENT_LENGTH);
    out = new ClientStream(exchange, call, cause -> {
      usage.streamCut();
      usage.errorClass("CLIENT_DISCONNECTED");
    });
    client = out;
    return out;
  }

  @Override
  public void onBodyChunk(UpstreamCall call, ByteBuffer chunk) {
    if (errorBody != null) {
      if (!errorBody.append(chunk)) {
        call.cancel();
        fail(new GatewayException(ErrorReason.UPSTREAM_ERROR,
            "the provider answered " + status + " with an oversized body"), status, false);
      }
      return;
    }
    if (client != null && client.isFinished()) {
      return;
    }
    byte[] copy = new byte[chunk.remaining()];
    chunk.get(copy);
    List<ChatEvent> events = decoder.decode(ByteBuffer.wrap(copy));
    byte[] out;
    if (sameFormat) {
      observe(events);
      out = copy;
    } else {
      out = encode(events);
    }
    if (out.length > 0) {
      write(open(call), out);
    }
  }

  @Override
  public void onComplete(UpstreamCall call) {
    if (errorBody != null) {
      fail(UpstreamErrors.decode(providerCodec, status, headers, errorBody.toByteArray()), status, false);
      return;
    }
    List<ChatEvent> rest = decoder.end();
    byte[] tail = sameFormat ? observeAndEmpty(rest) : encode(rest);
    if (client == null && tail.length == 0 && providerFailure == null && !decoder.completed()) {
      fail(new GatewayException(ErrorReason.UPSTREAM_STREAM_INTERRUPTED,
          "the provider's stream ended before its first event"), status, true);
      return;
    }
    ClientStream out = open(call);
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
      fail(error, status, true);
      return;
    }
    out.finish(cut("the provider's stream broke off: " + error.getMessage()));
  }

  /** Ends a stream under way with an error event (the request's deadline passed); the upstream call is cancelled by the caller. */
  void abort(GatewayException error) {
    ClientStream out = client;
    if (out == null || out.isFinished()) {
      ErrorResponder.send(exchange, error);
      return;
    }
    usage.streamCut();
    usage.errorClass(error.reason().name());
    estimate();
    out.finish(boundary(encoder.finish(error)));
  }

  private void write(ClientStream out, byte[] bytes) {
    if (bytes.length >= 2) {
      beforeLastByte = bytes[bytes.length - 2];
      lastByte = bytes[bytes.length - 1];
    } else if (bytes.length == 1) {
      beforeLastByte = lastByte;
      lastByte = bytes[0];
    }
    out.write(bytes);
  }

  private byte[] cut(String message) {
    GatewayException interrupted = new GatewayException(ErrorReason.UPSTREAM_STREAM_INTERRUPTED, message);
    usage.streamCut();
    usage.errorClass(interrupted.reason().name());
    estimate();
    return boundary(encoder.finish(interrupted));
  }

  /**
   * The error event, after the end of a half-relayed event when the provider's bytes went out unchanged and
   * broke off mid-event: the client must not read the error as part of the provider's last event.
   */
  private byte[] boundary(byte[] errorEvent) {
    if (sameFormat && client != null && !(lastByte == '\n' && beforeLastByte == '\n')) {
      return concat(EVENT_END, errorEvent);
    }
    return errorEvent;
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

  /** Output tokens of a cut stream, from the content seen (about four characters a token), when the provider gave none. */
  private void estimate() {
    usage.estimateOutput((contentChars + 3) / 4);
  }

  private void observe(List<ChatEvent> events) {
    for (ChatEvent event : events) {
      if (event instanceof ChatEvent.TextDelta text) {
        contentChars += text.text().length();
      } else if (event instanceof ChatEvent.ReasoningDelta reasoning) {
        contentChars += reasoning.text().length();
      } else if (event instanceof ChatEvent.ToolCallDelta tool) {
        contentChars += tool.argumentsFragment().length();
      }
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
