package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.upstream.UpstreamCall;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.xnio.IoUtils;

/**
 * Writes an answer to the client as it arrives, with flow control: while a write is pending, the upstream
 * call's reads are suspended, so a slow client slows the upstream instead of filling memory. At most the
 * chunks of one upstream read are queued. Runs on the exchange's IO thread only.
 */
final class ClientStream {

  /** What to do when the client goes away. */
  interface ClientGone {
    void clientGone(IOException cause);
  }

  private final HttpServerExchange exchange;
  private final UpstreamCall call;
  private final ClientGone onClientGone;
  private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
  private boolean sending;
  private boolean finishing;
  private boolean closed;

  ClientStream(HttpServerExchange exchange, UpstreamCall call, ClientGone onClientGone) {
    this.exchange = requireNonNull(exchange, "exchange");
    this.call = requireNonNull(call, "call");
    this.onClientGone = requireNonNull(onClientGone, "onClientGone");
  }

  /** Queues bytes for the client (they are copied by the caller or owned by this stream). */
  void write(byte[] bytes) {
    if (closed || finishing || bytes.length == 0) {
      return;
    }
    pending.add(ByteBuffer.wrap(bytes));
    if (!sending) {
      call.suspendReads();
      sendNext();
    }
  }

  /** Writes the last bytes (possibly none) and ends the exchange once everything queued is sent. */
  void finish(byte[] last) {
    if (closed || finishing) {
      return;
    }
    if (last.length > 0) {
      pending.add(ByteBuffer.wrap(last));
    }
    finishing = true;
    if (!sending) {
      sendNext();
    }
  }

  boolean isFinished() {
    return closed || finishing;
  }

  private void sendNext() {
    ByteBuffer next = pending.poll();
    if (next == null) {
      sending = false;
      if (finishing) {
        closed = true;
        exchange.getResponseSender().close(IoCallback.END_EXCHANGE);
      } else {
        call.resumeReads();
      }
      return;
    }
    sending = true;
    exchange.getResponseSender().send(
        next,
        new IoCallback() {
          @Override
          public void onComplete(HttpServerExchange ex, Sender sender) {
            sendNext();
          }

          @Override
          public void onException(HttpServerExchange ex, Sender sender, IOException exception) {
            sending = false;
            closed = true;
            pending.clear();
            call.cancel();
            onClientGone.clientGone(exception);
            IoUtils.safeClose(ex.getConnection());
            ex.endExchange();
          }
        });
  }
}
