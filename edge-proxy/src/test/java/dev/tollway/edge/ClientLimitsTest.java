package dev.tollway.edge;

import static dev.tollway.edge.testing.TestCodec.event;
import static dev.tollway.edge.testing.TestSnapshots.aiBackend;
import static dev.tollway.edge.testing.TestSnapshots.catchAll;
import static dev.tollway.edge.testing.TestSnapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.edge.testing.FakeProvider;
import dev.tollway.edge.testing.TestCodec;
import dev.tollway.edge.testing.TestStack;
import dev.tollway.schemas.snapshot.Provider.ProviderType;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a client can and cannot do to the proxy: oversized headers, slow bodies, long streams, foreign hosts. */
class ClientLimitsTest {

  private static final String STREAM_CHAT =
      "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"What is Kubernetes?\"}]}";

  @TempDir Path stateDir;
  private FakeProvider provider;
  private TestStack stack;

  @BeforeEach
  void setUp() {
    provider = new FakeProvider();
    stack = TestStack.start(stateDir, Clock.systemUTC(),
        Map.of("TOLLWAY_CLIENT_READ_TIMEOUT", "1s", "TOLLWAY_MAX_HEADER_BYTES", "8192"));
    provider.answer(FakeProvider.json(200,
        "{\"format\":\"oa\",\"id\":\"r1\",\"model\":\"m\",\"text\":\"ok\",\"usage\":{\"input\":1,\"output\":1}}"));
    stack.publish(snapshot(List.of(catchAll("default/r", "default/b")),
        Map.of("default/b", aiBackend(stack.cipher, "default/b", ProviderType.openai, provider.port(), "m"))));
    stack.awaitReady();
  }

  @AfterEach
  void tearDown() {
    stack.close();
    provider.close();
  }

  /** Sends raw bytes, then reads until the proxy closes the connection or 10 s pass. */
  private String raw(byte[] request, boolean thenStall) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", stack.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      try {
        while ((n = in.read(buffer)) != -1) {
          answer.write(buffer, 0, n);
          if (!thenStall && answer.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n") && answer.size() > 0
              && answer.toString(StandardCharsets.ISO_8859_1).contains("}")) {
            break;
          }
        }
      } catch (java.net.SocketException closed) {
        // the proxy reset the connection: what arrived before counts
      }
      return answer.toString(StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void shouldRefuseAnOversizedHeaderBlockWithoutServingIt() throws Exception {
    String request = "POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nX-Big: " + "a".repeat(20_000)
        + "\r\nContent-Length: 2\r\n\r\n{}";

    String answer = raw(request.getBytes(StandardCharsets.ISO_8859_1), true);

    assertThat(answer).doesNotContain(" 200 ");
    assertThat(provider.received()).isEmpty();
  }

  @Test
  void shouldTimeOutAClientThatStopsSendingItsBody() throws Exception {
    // Given a client that announces 1,000 bytes and sends 10
    String request = "POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n"
        + "Content-Length: 1000\r\n\r\n{\"messages";

    // When it stalls
    long started = System.nanoTime();
    String answer = raw(request.getBytes(StandardCharsets.ISO_8859_1), true);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    // Then the proxy gives up after its read timeout, with a 408 when it can still answer
    assertThat(took).isLessThan(Duration.ofSeconds(8));
    assertThat(answer).satisfiesAnyOf(a -> assertThat(a).contains("408"), a -> assertThat(a).isEmpty());
    assertThat(provider.received()).isEmpty();
  }

  @Test
  void shouldKeepAStreamLongerThanTheClientReadTimeoutOpen() throws Exception {
    // Given a stream whose provider pauses 2.5 s (more than the 1 s client read timeout) after its first event
    CountDownLatch release = new CountDownLatch(1);
    provider.answer(FakeProvider.sse(List.of(event("{\"type\":\"text\",\"text\":\"slow\"}"),
        event("{\"type\":\"text\",\"text\":\" thinker\"}"), TestCodec.DONE), release, false));
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    timer.schedule(release::countDown, 2_500, TimeUnit.MILLISECONDS);

    // When a client streams
    HttpResponse<String> response = stack.post("/v1/chat/completions", STREAM_CHAT);
    timer.shutdown();

    // Then the whole stream arrived
    assertThat(response.body()).contains("slow").contains("thinker").endsWith("data: [DONE]\n\n");
  }

  @Test
  void shouldSendARequestOnlyWhereTheConfigurationPointsWhateverItsTarget() throws Exception {
    // Given requests in absolute form naming another host: one whose Host header disagrees, one that agrees
    String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    String mismatched = "POST http://169.254.169.254:80/v1/chat/completions HTTP/1.1\r\nHost: evil.example\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
    String agreeing = "POST http://169.254.169.254/v1/chat/completions HTTP/1.1\r\nHost: 169.254.169.254\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;

    // When both are sent
    String refused = raw(mismatched.getBytes(StandardCharsets.ISO_8859_1), true);
    String served = raw(agreeing.getBytes(StandardCharsets.ISO_8859_1), true);

    // Then the first is refused before routing, and the second reached the configured provider only, with the
    // provider's own Host: no upstream is ever taken from the request
    assertThat(refused).startsWith("HTTP/1.1 400");
    assertThat(served).startsWith("HTTP/1.1 200");
    assertThat(provider.received()).hasSize(1);
    assertThat(provider.last().header("host")).isEqualTo("127.0.0.1:" + provider.port());
  }
}
