package dev.tollway.edge.upstream;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.provider.UpstreamTarget;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.client.ClientResponse;
import io.undertow.client.UndertowClient;
import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Protocols;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.XnioWorker;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;
import org.xnio.ssl.XnioSsl;

/**
 * Calls upstreams without blocking an IO thread: Undertow's HTTP/1.1 client, a pool of keep-alive
 * connections per IO thread, connect and per-attempt timeouts. A call runs entirely on the IO thread it is
 * given (the exchange's), so a request and its upstream call never need a lock.
 */
public final class UpstreamClient implements AutoCloseable {

  private static final OptionMap CONNECT_OPTIONS = OptionMap.create(Options.TCP_NODELAY, true);

  private final UndertowClient client = UndertowClient.getInstance(UpstreamClient.class.getClassLoader());
  private final XnioWorker worker;
  private final ByteBufferPool bufferPool;
  private final @Nullable XnioSsl ssl;
  private final Duration connectTimeout;
  private final PoolGauges gauges;
  private final ConnectionPool pool;

  /**
   * @param ssl TLS for upstreams that need it; null refuses TLS targets
   */
  public UpstreamClient(XnioWorker worker, ByteBufferPool bufferPool, @Nullable XnioSsl ssl, Duration connectTimeout) {
    this(worker, bufferPool, ssl, connectTimeout, null);
  }

  /**
   * @param ssl TLS for upstreams that need it; null refuses TLS targets
   * @param meters where {@code tollway_upstream_connections{upstream,state}} goes; null for nowhere
   */
  public UpstreamClient(XnioWorker worker, ByteBufferPool bufferPool, @Nullable XnioSsl ssl, Duration connectTimeout,
      @Nullable MeterRegistry meters) {
    this.worker = requireNonNull(worker, "worker");
    this.bufferPool = requireNonNull(bufferPool, "bufferPool");
    this.ssl = ssl;
    this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout");
    this.gauges = new PoolGauges(meters);
    this.pool = new ConnectionPool(64, TimeUnit.SECONDS.toNanos(20), gauges);
  }

  /**
   * Sends a request; the handler is called on {@code ioThread}.
   *
   * @param timeout the whole attempt, from now to the last byte of the answer
   */
  public UpstreamCall send(
      XnioIoThread ioThread, UpstreamRequest request, Duration timeout, UpstreamResponseHandler handler) {
    Call call = new Call(requireNonNull(ioThread, "ioThread"), requireNonNull(request, "request"),
        requireNonNull(timeout, "timeout"), requireNonNull(handler, "handler"));
    if (Thread.currentThread() == ioThread) {
      call.start();
    } else {
      ioThread.execute(call::start);
    }
    return call;
  }

  /** Idle pooled connections (approximate when read from another thread). */
  public int idleConnections() {
    return pool.idleCount();
  }

  /** Connections in use by calls now, to every upstream. */
  public int activeConnections() {
    return gauges.total(true);
  }

  @Override
  public void close() {
    pool.closeAll();
  }

  /** One call: connect or reuse, write the request, read the answer. Touched only on its IO thread. */
  private final class Call implements UpstreamCall {
    private final XnioIoThread ioThread;
    private final UpstreamRequest request;
    private final Duration timeout;
    private final UpstreamResponseHandler handler;
    private final ConnectionPool.Key key;
    private final PoolGauges.Counts counts;
    private boolean holding;

    private XnioExecutor.@Nullable Key attemptTimer;
    private XnioExecutor.@Nullable Key connectTimer;
    private @Nullable ClientConnection connection;
    private @Nullable StreamSourceChannel source;
    private boolean reused;
    private boolean retried;
    private boolean requestWritten;
    private boolean responseStarted;
    private boolean keepAlive;
    private boolean suspended;
    private boolean reading;
    private boolean done;

    Call(XnioIoThread ioThread, UpstreamRequest request, Duration timeout, UpstreamResponseHandler handler) {
      this.ioThread = ioThread;
      this.request = request;
      this.timeout = timeout;
      this.handler = handler;
      UpstreamTarget target = request.target();
      this.key = new ConnectionPool.Key(target.host(), target.port(), target.tls());
      this.counts = gauges.of(key);
    }

    void start() {
      if (done) {
        return;
      }
      attemptTimer =
          ioThread.executeAfter(
              () -> fail(new GatewayException(ErrorReason.UPSTREAM_TIMEOUT,
                  "the upstream " + request.target().authority() + " did not answer within " + human(timeout))),
              timeout.toMillis(),
              TimeUnit.MILLISECONDS);
      ClientConnection idle = pool.poll(ioThread, key, System.nanoTime());
      if (idle != null) {
        reused = true;
        sendOn(idle);
      } else {
        connect();
      }
    }

    private void connect() {
      UpstreamTarget target = request.target();
      if (target.tls() && ssl == null) {
        fail(new GatewayException(ErrorReason.UPSTREAM_UNREACHABLE, "TLS to " + target.authority() + " is not configured"));
        return;
      }
      URI uri;
      try {
        uri = new URI(target.tls() ? "https" : "http", null, target.host(), target.port(), "/", null, null);
      } catch (URISyntaxException e) {
        fail(new GatewayException(ErrorReason.UPSTREAM_UNREACHABLE, "invalid upstream address " + target.authority()));
        return;
      }
      connectTimer =
          ioThread.executeAfter(
              () -> fail(new GatewayException(ErrorReason.UPSTREAM_TIMEOUT,
                  "could not connect to " + target.authority() + " within " + human(connectTimeout))),
              connectTimeout.toMillis(),
              TimeUnit.MILLISECONDS);
      ClientCallback<ClientConnection> callback =
          new ClientCallback<>() {
            @Override
            public void completed(ClientConnection result) {
              onIoThread(() -> connected(result));
            }

            @Override
            public void failed(IOException e) {
              onIoThread(() -> connectFailed(e));
            }
          };
      // Name resolution may block: connect from a worker task, never from the IO thread.
      worker.execute(
          () -> {
            try {
              client.connect(callback, uri, ioThread, target.tls() ? ssl : null, bufferPool, CONNECT_OPTIONS);
            } catch (RuntimeException e) {
              onIoThread(() -> connectFailed(e));
            }
          });
    }

    private void connected(ClientConnection result) {
      cancelTimer(connectTimer);
      connectTimer = null;
      if (done) {
        IoUtils.safeClose(result);
        return;
      }
      reused = false;
      sendOn(result);
    }

    private void connectFailed(Exception e) {
      cancelTimer(connectTimer);
      connectTimer = null;
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      fail(new GatewayException(ErrorReason.UPSTREAM_UNREACHABLE,
          "cannot connect to " + request.target().authority() + ": " + why));
    }

    private void sendOn(ClientConnection conn) {
      this.connection = conn;
      if (!holding) {
        holding = true;
        counts.active.incrementAndGet();
      }
      ClientRequest clientRequest = new ClientRequest().setMethod(new HttpString(request.method()))
          .setPath(request.target().path());
      clientRequest.setProtocol(Protocols.HTTP_1_1);
      for (HeaderValues values : request.headers()) {
        clientRequest.getRequestHeaders().putAll(values.getHeaderName(), values);
      }
      clientRequest.getRequestHeaders().put(Headers.HOST, request.effectiveHost());
      clientRequest.getRequestHeaders().remove(Headers.TRANSFER_ENCODING);
      clientRequest.getRequestHeaders().put(Headers.CONTENT_LENGTH, request.body().length);
      try {
        conn.sendRequest(
            clientRequest,
            new ClientCallback<>() {
              @Override
              public void completed(ClientExchange exchange) {
                onIoThread(() -> requestStarted(exchange));
              }

              @Override
              public void failed(IOException e) {
                onIoThread(() -> transportFailed(e));
              }
            });
      } catch (RuntimeException e) {
        transportFailed(new IOException(e.getMessage(), e));
      }
    }

    private void requestStarted(ClientExchange exchange) {
      if (done) {
        return;
      }
      exchange.setResponseListener(
          new ClientCallback<>() {
            @Override
            public void completed(ClientExchange result) {
              onIoThread(() -> responseStarted(result));
            }

            @Override
            public void failed(IOException e) {
              onIoThread(() -> transportFailed(e));
            }
          });
      writeBody(exchange.getRequestChannel());
    }

    private void writeBody(StreamSinkChannel sink) {
      ByteBuffer buffer = ByteBuffer.wrap(request.body());
      ChannelListener<StreamSinkChannel> writer =
          new ChannelListener<>() {
            private boolean shutdown;

            @Override
            public void handleEvent(StreamSinkChannel channel) {
              if (done) {
                return;
              }
              try {
                while (buffer.hasRemaining()) {
                  if (channel.write(buffer) == 0) {
                    channel.resumeWrites();
                    return;
                  }
                }
                if (!shutdown) {
                  channel.shutdownWrites();
                  shutdown = true;
                }
                if (!channel.flush()) {
                  channel.resumeWrites();
                  return;
                }
                channel.suspendWrites();
                channel.getWriteSetter().set(null);
                requestWritten = true;
              } catch (IOException e) {
                transportFailed(e);
              }
            }
          };
      sink.getWriteSetter().set(writer);
      writer.handleEvent(sink);
    }

    private void responseStarted(ClientExchange exchange) {
      if (done) {
        return;
      }
      responseStarted = true;
      ClientResponse response = exchange.getResponse();
      keepAlive = isKeepAlive(response);
      handler.onResponseStart(this, response.getResponseCode(), response.getResponseHeaders());
      if (done) {
        return;
      }
      StreamSourceChannel channel = exchange.getResponseChannel();
      source = channel;
      channel.getReadSetter().set(c -> readLoop());
      readLoop();
    }

    private void readLoop() {
      StreamSourceChannel channel = source;
      if (done || suspended || channel == null || reading) {
        return;
      }
      reading = true;
      try (PooledByteBuffer pooled = bufferPool.allocate()) {
        ByteBuffer buffer = pooled.getBuffer();
        while (!done && !suspended) {
          buffer.clear();
          int read = channel.read(buffer);
          if (read == -1) {
            complete();
            return;
          }
          if (read == 0) {
            channel.resumeReads();
            return;
          }
          buffer.flip();
          handler.onBodyChunk(this, buffer);
        }
        if (suspended && !done) {
          channel.suspendReads();
        }
      } catch (IOException e) {
        transportFailed(e);
      } finally {
        reading = false;
      }
    }

    private void complete() {
      if (done) {
        return;
      }
      done = true;
      cancelTimers();
      ClientConnection conn = connection;
      if (conn != null) {
        if (keepAlive && requestWritten && conn.isOpen()) {
          pool.offer(ioThread, key, conn, System.nanoTime());
        } else {
          IoUtils.safeClose(conn);
        }
      }
      release();
      handler.onComplete(this);
    }

    private void transportFailed(IOException e) {
      if (done) {
        return;
      }
      if (reused && !retried && !responseStarted) {
        // a pooled connection the upstream had already closed: try once more on a fresh one
        retried = true;
        reused = false;
        release();
        IoUtils.safeClose(connection);
        connection = null;
        connect();
        return;
      }
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      fail(new GatewayException(ErrorReason.UPSTREAM_ERROR,
          "the connection to " + request.target().authority() + " failed: " + why));
    }

    private void fail(GatewayException error) {
      if (done) {
        return;
      }
      done = true;
      cancelTimers();
      IoUtils.safeClose(connection);
      release();
      handler.onError(this, error);
    }

    @Override
    public void suspendReads() {
      suspended = true;
      StreamSourceChannel channel = source;
      if (channel != null && !reading && !done) {
        channel.suspendReads();
      }
    }

    @Override
    public void resumeReads() {
      if (!suspended) {
        return;
      }
      suspended = false;
      StreamSourceChannel channel = source;
      if (channel != null && !reading && !done) {
        // data may already sit in Undertow's buffers, where no read-ready event would announce it
        channel.resumeReads();
        ioThread.execute(this::readLoop);
      }
    }

    @Override
    public void cancel() {
      if (Thread.currentThread() != ioThread) {
        ioThread.execute(this::cancel);
        return;
      }
      if (done) {
        return;
      }
      done = true;
      cancelTimers();
      IoUtils.safeClose(connection);
      release();
    }

    private void release() {
      if (holding) {
        holding = false;
        counts.active.decrementAndGet();
      }
    }

    private void cancelTimers() {
      cancelTimer(attemptTimer);
      cancelTimer(connectTimer);
      attemptTimer = null;
      connectTimer = null;
    }

    private void onIoThread(Runnable task) {
      if (Thread.currentThread() == ioThread) {
        task.run();
      } else {
        ioThread.execute(task);
      }
    }
  }

  private static boolean isKeepAlive(ClientResponse response) {
    if (!Protocols.HTTP_1_1.equals(response.getProtocol())) {
      return false;
    }
    String connection = response.getResponseHeaders().getFirst(Headers.CONNECTION);
    return connection == null || !connection.toLowerCase(java.util.Locale.ROOT).contains("close");
  }

  private static void cancelTimer(XnioExecutor.@Nullable Key timer) {
    if (timer != null) {
      timer.remove();
    }
  }

  private static String human(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
  }
}
