package dev.tollway.edge.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.testing.FakeProvider;
import io.undertow.Undertow;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

class UpstreamClientTest {

  private XnioWorker worker;
  private UpstreamClient client;
  private FakeProvider provider;

  /** What a call produced. */
  record Outcome(int status, String body, GatewayException error) {}

  @BeforeEach
  void setUp() throws Exception {
    worker = Xnio.getInstance(Undertow.class.getClassLoader())
        .createWorker(OptionMap.create(Options.WORKER_IO_THREADS, 1));
    client = new UpstreamClient(worker, new DefaultByteBufferPool(true, 4096), null, Duration.ofSeconds(2));
    provider = new FakeProvider();
  }

  @AfterEach
  void tearDown() {
    client.close();
    provider.close();
    worker.shutdownNow();
  }

  private Outcome call(UpstreamTarget target, String body, Duration timeout) throws Exception {
    CompletableFuture<Outcome> done = new CompletableFuture<>();
    HeaderMap headers = new HeaderMap();
    headers.put(new HttpString("x-test"), "1");
    client.send(worker.getIoThread(), new UpstreamRequest(target, "POST", headers, body.getBytes(StandardCharsets.UTF_8), null),
        timeout, new UpstreamResponseHandler() {
          private int status;
          private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

          @Override
          public void onResponseStart(UpstreamCall call, int status, HeaderMap headers) {
            this.status = status;
          }

          @Override
          public void onBodyChunk(UpstreamCall call, ByteBuffer chunk) {
            byte[] copy = new byte[chunk.remaining()];
            chunk.get(copy);
            bytes.writeBytes(copy);
          }

          @Override
          public void onComplete(UpstreamCall call) {
            done.complete(new Outcome(status, bytes.toString(StandardCharsets.UTF_8), null));
          }

          @Override
          public void onError(UpstreamCall call, GatewayException error) {
            done.complete(new Outcome(status, bytes.toString(StandardCharsets.UTF_8), error));
          }
        });
    return done.get(10, TimeUnit.SECONDS);
  }

  private UpstreamTarget target(String path) {
    return new UpstreamTarget("127.0.0.1", provider.port(), false, path);
  }

  @Test
  void shouldSendTheRequestAndReuseTheKeepAliveConnection() throws Exception {
    provider.answer(FakeProvider.json(200, "{\"text\":\"one\"}"));

    Outcome first = call(target("/v1/a?x=1"), "{\"q\":1}", Duration.ofSeconds(5));
    Outcome second = call(target("/v1/b"), "{\"q\":2}", Duration.ofSeconds(5));

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body()).isEqualTo("{\"text\":\"one\"}");
    assertThat(second.error()).isNull();
    assertThat(provider.received()).extracting(FakeProvider.Received::path).containsExactly("/v1/a?x=1", "/v1/b");
    assertThat(provider.last().body()).isEqualTo("{\"q\":2}");
    assertThat(provider.last().header("host")).isEqualTo("127.0.0.1:" + provider.port());
    assertThat(provider.last().header("content-length")).isEqualTo("7");
    assertThat(provider.last().header("x-test")).isEqualTo("1");
    assertThat(client.idleConnections()).isEqualTo(1);
  }

  @Test
  void shouldFailWithATimeoutWhenTheUpstreamDoesNotAnswerInTime() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    provider.answer(exchange -> never.await(5, TimeUnit.SECONDS));

    Outcome outcome = call(target("/slow"), "{}", Duration.ofMillis(300));

    assertThat(outcome.error()).isNotNull();
    assertThat(outcome.error().reason()).isEqualTo(ErrorReason.UPSTREAM_TIMEOUT);
    assertThat(outcome.error().getMessage()).contains("did not answer within 300ms");
    never.countDown();
  }

  @Test
  void shouldReportAnUnknownHostAsUnreachable() throws Exception {
    Outcome outcome = call(new UpstreamTarget("no-such-host.invalid", 80, false, "/"), "{}", Duration.ofSeconds(5));

    assertThat(outcome.error().reason()).isEqualTo(ErrorReason.UPSTREAM_UNREACHABLE);
    assertThat(outcome.error().getMessage()).startsWith("cannot connect to no-such-host.invalid:80");
  }

  @Test
  void shouldRefuseTlsWithoutATlsContext() throws Exception {
    Outcome outcome = call(new UpstreamTarget("127.0.0.1", 443, true, "/"), "{}", Duration.ofSeconds(5));

    assertThat(outcome.error().reason()).isEqualTo(ErrorReason.UPSTREAM_UNREACHABLE);
  }

  @Test
  void shouldVerifyTheUpstreamsHostNameOnTlsEngines() throws Exception {
    SSLContext context = HostnameVerifyingSslContext.wrap(SSLContext.getDefault());

    SSLEngine engine = context.createSSLEngine("api.anthropic.com", 443);

    assertThat(engine.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(engine.getPeerHost()).isEqualTo("api.anthropic.com");
  }
}
