package dev.tollway.local.fake;

import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * Writes server-sent events one at a time without blocking the IO thread: each event is written and flushed
 * before the next is taken, optionally after a delay, so that the client receives them as separate chunks. An
 * injected cut closes the connection after a number of events, without the terminating chunk.
 */
final class SseStream {

  private static final Logger LOG = LoggerFactory.getLogger(SseStream.class);

  private final HttpServerExchange exchange;
  private final Iterator<byte[]> events;
  private final long delayMillis;
  private final @Nullable Integer cutAfter;
  private @Nullable StreamSinkChannel channel;
  private @Nullable ByteBuffer current;
  private int sent;

  SseStream(HttpServerExchange exchange, List<byte[]> events, Duration delay, @Nullable Integer cutAfter) {
    this.exchange = exchange;
    this.events = List.copyOf(events).iterator();
    this.delayMillis = delay.toMillis();
    this.cutAfter = cutAfter;
  }

  /** Starts writing; must run on the exchange's IO thread, with the exchange dispatched. */
  void start() {
    if (cutAfter != null && cutAfter == 0) {
      IoUtils.safeClose(exchange.getConnection());
      return;
    }
    StreamSinkChannel sink = exchange.getResponseChannel();
    channel = sink;
    sink.getWriteSetter().set(ch -> pump());
    pump();
  }

  private void pump() {
    StreamSinkChannel sink = channel;
    if (sink == null) {
      return;
    }
    try {
      while (true) {
        ByteBuffer buffer = current;
        if (buffer == null) {
          if (!events.hasNext()) {
            sink.suspendWrites();
            exchange.endExchange();
            return;
          }
          current = ByteBuffer.wrap(events.next());
          continue;
        }
        while (buffer.hasRemaining()) {
          if (sink.write(buffer) == 0) {
            sink.resumeWrites();
            return;
          }
        }
        if (!sink.flush()) {
          sink.resumeWrites();
          return;
        }
        current = null;
        sent++;
        if (cutAfter != null && sent >= cutAfter) {
          sink.suspendWrites();
          IoUtils.safeClose(exchange.getConnection());
          return;
        }
        if (delayMillis > 0 && events.hasNext()) {
          sink.suspendWrites();
          exchange.getIoThread().executeAfter(this::pump, delayMillis, TimeUnit.MILLISECONDS);
          return;
        }
      }
    } catch (IOException e) {
      LOG.debug("stream to the client ended early after {} events: {}", sent, e.toString());
      IoUtils.safeClose(exchange.getConnection());
    }
  }
}
