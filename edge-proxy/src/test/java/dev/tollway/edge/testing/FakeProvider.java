package dev.tollway.edge.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * An upstream on 127.0.0.1 and a free port that records every request and answers as the test says:
 * JSON, a server-sent event stream (optionally held after its first event until the test releases it), a
 * stream cut short, or anything a handler writes.
 */
public final class FakeProvider implements AutoCloseable {

  /**
   * A request as the provider saw it.
   *
   * @param headers header values by lower-case name
   */
  public record Received(String method, String path, Map<String, List<String>> headers, String body) {
    public @Nullable String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  /** How the fake answers; called on a worker thread in blocking mode, after the body was read. */
  @FunctionalInterface
  public interface Behaviour {
    void respond(HttpServerExchange exchange) throws Exception;
  }

  private final Undertow server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Behaviour behaviour = json(200, "{\"text\":\"ok\"}");
  private volatile @Nullable Function<String, Behaviour> byBody;

  public FakeProvider() {
    HttpHandler handler = new HttpHandler() {
      @Override
      public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
          exchange.dispatch(this);
          return;
        }
        exchange.startBlocking();
        String body = new String(exchange.getInputStream().readAllBytes(), UTF_8);
        received.add(new Received(exchange.getRequestMethod().toString(), exchange.getRequestURI()
            + (exchange.getQueryString().isEmpty() ? "" : "?" + exchange.getQueryString()),
            copy(exchange.getRequestHeaders()), body));
        Function<String, Behaviour> chooser = byBody;
        (chooser != null ? chooser.apply(body) : behaviour).respond(exchange);
      }
    };
    server = Undertow.builder().addHttpListener(0, "127.0.0.1").setIoThreads(1).setWorkerThreads(8)
        .setHandler(handler).build();
    server.start();
  }

  public int port() {
    return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
  }

  public void answer(Behaviour next) {
    this.byBody = null;
    this.behaviour = next;
  }

  /** Answers each request as its body says (requests may arrive concurrently). */
  public void answerEach(Function<String, Behaviour> chooser) {
    this.byBody = chooser;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public Received last() {
    if (received.isEmpty()) {
      throw new AssertionError("the provider received no request");
    }
    return received.get(received.size() - 1);
  }

  /** A JSON answer with a status. */
  public static Behaviour json(int status, String body) {
    return exchange -> {
      exchange.setStatusCode(status);
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
      exchange.getOutputStream().write(body.getBytes(UTF_8));
    };
  }

  /** A JSON answer with extra headers. */
  public static Behaviour json(int status, String body, Map<String, String> headers) {
    return exchange -> {
      headers.forEach((name, value) -> exchange.getResponseHeaders().put(new HttpString(name), value));
      json(status, body).respond(exchange);
    };
  }

  /**
   * An event stream, flushed event by event. With a latch, the stream stops after its first event until the
   * latch is released; {@code cut} closes the connection after the last event instead of ending the body.
   */
  public static Behaviour sse(List<String> events, @Nullable CountDownLatch holdAfterFirst, boolean cut) {
    return exchange -> {
      exchange.setStatusCode(200);
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream");
      OutputStream out = exchange.getOutputStream();
      for (int i = 0; i < events.size(); i++) {
        out.write(events.get(i).getBytes(UTF_8));
        out.flush();
        if (i == 0 && holdAfterFirst != null && !holdAfterFirst.await(30, TimeUnit.SECONDS)) {
          throw new AssertionError("the test never released the stream");
        }
      }
      if (cut) {
        exchange.getConnection().close();
      }
    };
  }

  private static Map<String, List<String>> copy(HeaderMap headers) {
    Map<String, List<String>> copy = new TreeMap<>();
    for (HeaderValues values : headers) {
      copy.put(values.getHeaderName().toString().toLowerCase(Locale.ROOT), List.copyOf(values));
    }
    return copy;
  }

  @Override
  public void close() {
    server.stop();
  }
}
