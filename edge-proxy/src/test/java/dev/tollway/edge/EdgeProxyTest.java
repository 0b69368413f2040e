package dev.tollway.edge;

import static dev.tollway.edge.testing.TestCodec.event;
import static dev.tollway.edge.testing.TestSnapshots.GATEWAY;
import static dev.tollway.edge.testing.TestSnapshots.PROVIDER_KEY;
import static dev.tollway.edge.testing.TestSnapshots.aiBackend;
import static dev.tollway.edge.testing.TestSnapshots.catchAll;
import static dev.tollway.edge.testing.TestSnapshots.prefixRoute;
import static dev.tollway.edge.testing.TestSnapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.testing.FakeProvider;
import dev.tollway.edge.testing.TestCodec;
import dev.tollway.edge.testing.TestStack;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.Backend;
import dev.tollway.schemas.snapshot.BackendRef;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.Provider.ProviderType;
import dev.tollway.schemas.snapshot.RouteEntry;
import dev.tollway.schemas.snapshot.RouteMatch;
import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeProxyTest {

  private static final Instant NOW = Instant.parse("2026-11-26T17:00:00Z");
  private static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"What is Kubernetes?\"}]}";
  private static final String STREAM_CHAT =
      "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"What is Kubernetes?\"}]}";

  @TempDir Path stateDir;
  private FakeProvider provider;
  private TestStack stack;

  @BeforeEach
  void setUp() {
    provider = new FakeProvider();
    stack = TestStack.start(stateDir, Clock.fixed(NOW, ZoneOffset.UTC), Map.of());
  }

  @AfterEach
  void tearDown() {
    stack.close();
    provider.close();
  }

  /** The tutorial after step 06: /ai/claude to an Anthropic-format backend, /ai/gemini to an OpenAI-format one. */
  private GatewaySnapshot tutorial() {
    return snapshot(
        List.of(prefixRoute("default/llm-route", 0, "/ai/claude", "default/anthropic"),
            prefixRoute("default/llm-route", 1, "/ai/gemini", "default/gemini")),
        Map.of("default/anthropic", aiBackend(stack.cipher, "default/anthropic", ProviderType.anthropic, provider.port(), "claude-sonnet-4"),
            "default/gemini", aiBackend(stack.cipher, "default/gemini", ProviderType.openai, provider.port(), "gemini-2.5-flash")));
  }

  private void serveTutorial() {
    stack.publish(tutorial());
    stack.awaitReady();
  }

  @Test
  void shouldAnswerReadyzWith503UntilASnapshotIsLoadedThen200() throws Exception {
    // Given a started proxy without configuration
    assertThat(stack.admin("/healthz").statusCode()).isEqualTo(200);
    assertThat(stack.admin("/readyz").statusCode()).isEqualTo(503);

    // When its Gateway's snapshot arrives
    stack.publish(tutorial());

    // Then it becomes ready and its listener is bound
    await().atMost(Duration.ofSeconds(10)).until(() -> stack.admin("/readyz").statusCode() == 200);
    assertThat(stack.proxy.localPort(80)).isPresent();
  }

  @Test
  void shouldTranslateANonStreamedChatAndInjectTheProviderKeyNotTheClients() throws Exception {
    // Given the tutorial's routes and a provider answering in its own format
    serveTutorial();
    provider.answer(FakeProvider.json(200,
        "{\"format\":\"an\",\"id\":\"msg_1\",\"model\":\"claude-sonnet-4-20250514\",\"text\":\"An orchestrator.\",\"usage\":{\"input\":12,\"output\":5}}"));

    // When a client posts an OpenAI-style chat with its own credential
    HttpResponse<String> response = stack.post("/ai/claude/v1/chat/completions", CHAT,
        "Content-Type", "application/json", "Authorization", "Bearer client-secret", "x-request-id", "req-42",
        "Cookie", "session=abc", "Keep-Alive", "timeout=5", "Proxy-Authorization", "Basic cHJveHk=",
        "x-api-key", "client-key", "x-custom", "kept");

    // Then the provider got its own format at its own path, with the provider key only
    FakeProvider.Received upstream = provider.last();
    assertThat(upstream.path()).isEqualTo("/v1/messages");
    assertThat(upstream.header("x-api-key")).isEqualTo(PROVIDER_KEY);
    assertThat(upstream.header("authorization")).isNull();
    assertThat(upstream.header("cookie")).isNull();
    assertThat(upstream.header("keep-alive")).isNull();
    assertThat(upstream.header("proxy-authorization")).isNull();
    assertThat(upstream.header("x-api-key")).isEqualTo(PROVIDER_KEY);
    assertThat(upstream.header("x-custom")).isEqualTo("kept");
    assertThat(upstream.header("host")).isEqualTo("127.0.0.1:" + provider.port());
    JsonNode sent = Json.mapper().readTree(upstream.body());
    assertThat(sent.path("format").asText()).isEqualTo("an");
    assertThat(sent.path("model").asText()).isEqualTo("claude-sonnet-4");
    assertThat(sent.path("messages").get(0).path("content").asText()).isEqualTo("What is Kubernetes?");

    // And the client got the answer translated into its API, with its request id echoed
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-request-id")).hasValue("req-42");
    JsonNode answer = Json.mapper().readTree(response.body());
    assertThat(answer.path("format").asText()).isEqualTo("oa");
    assertThat(answer.path("text").asText()).isEqualTo("An orchestrator.");

    // And one usage event records the request
    UsageEvent usage = stack.usageOf("req-42");
    assertThat(usage.attempt()).isEqualTo(1);
    assertThat(usage.finalAttempt()).isTrue();
    assertThat(usage.gateway()).isEqualTo(GATEWAY);
    assertThat(usage.listener()).isEqualTo("http");
    assertThat(usage.route()).isEqualTo("default/llm-route#0");
    assertThat(usage.backend()).isEqualTo("default/anthropic");
    assertThat(usage.provider()).isEqualTo("anthropic");
    assertThat(usage.endpoint()).isEqualTo("127.0.0.1:" + provider.port());
    assertThat(usage.operation()).isEqualTo("chat");
    assertThat(usage.clientApi()).isEqualTo("openai.chat");
    assertThat(usage.requestModel()).isNull();
    assertThat(usage.providerModel()).isEqualTo("claude-sonnet-4");
    assertThat(usage.responseModel()).isEqualTo("claude-sonnet-4-20250514");
    assertThat(usage.streamed()).isFalse();
    assertThat(usage.status()).isEqualTo(200);
    assertThat(usage.errorClass()).isNull();
    assertThat(usage.startTime()).isEqualTo(NOW);
    assertThat(usage.tokens()).isEqualTo(new TokenUsage(12, 0, 0, 5, 0, 17, TokenUsage.Source.provider, true));
    assertThat(stack.producer.history()).singleElement()
        .satisfies(record -> assertThat(record.key()).isEqualTo("req-42"));
  }

  @Test
  void shouldForwardTheProvidersBytesUnchangedWhenClientAndProviderSpeakTheSameFormat() throws Exception {
    // Given an OpenAI-format backend answering with a field the gateway does not know
    serveTutorial();
    String body = "{\"format\":\"provider-original\",\"id\":\"c1\",\"model\":\"gemini-2.5-flash\",\"text\":\"Hi\","
        + "\"usage\":{\"input\":3,\"output\":1},\"extra\":{\"kept\":true}}";
    provider.answer(FakeProvider.json(200, body));

    // When an OpenAI client calls it
    HttpResponse<String> response = stack.post("/ai/gemini/v1/chat/completions", CHAT, "x-request-id", "same-1");

    // Then the bytes are the provider's, and usage was still read from them
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(body);
    assertThat(provider.last().path()).isEqualTo("/v1/chat");
    assertThat(provider.last().header("authorization")).isEqualTo("Bearer " + PROVIDER_KEY);
    assertThat(stack.usageOf("same-1").tokens().totalTokens()).isEqualTo(4);
  }

  @Test
  void shouldRelayStreamedEventsToTheClientBeforeTheUpstreamFinishes() throws Exception {
    // Given a provider that sends its first events, then waits for the test
    serveTutorial();
    CountDownLatch release = new CountDownLatch(1);
    provider.answer(FakeProvider.sse(List.of(
        event("{\"type\":\"start\",\"id\":\"s1\",\"model\":\"claude-sonnet-4-20250514\"}")
            + event("{\"type\":\"text\",\"text\":\"Kube\"}"),
        event("{\"type\":\"text\",\"text\":\"rnetes\"}"),
        event("{\"type\":\"usage\",\"input\":9,\"output\":2}"),
        TestCodec.DONE), release, false));

    // When a client asks for a stream
    HttpResponse<java.io.InputStream> response = stack.http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.port() + "/ai/claude/v1/chat/completions"))
            .header("x-request-id", "stream-1")
            .POST(HttpRequest.BodyPublishers.ofString(STREAM_CHAT)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));

    // Then the first translated event arrives while the provider is still holding its stream
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    String first = reader.readLine();
    assertThat(first).startsWith("data: ").contains("\"format\":\"oa\"").contains("\"type\":\"start\"");
    assertThat(release.getCount()).isEqualTo(1);

    // When the provider goes on
    release.countDown();
    StringBuilder rest = new StringBuilder();
    String line;
    while ((line = reader.readLine()) != null) {
      rest.append(line).append('\n');
    }

    // Then the client gets the rest, translated, and a clean end
    assertThat(rest.toString()).contains("\"text\":\"Kube\"").contains("\"text\":\"rnetes\"")
        .endsWith("data: [DONE]\n\n");
    UsageEvent usage = stack.usageOf("stream-1");
    assertThat(usage.streamed()).isTrue();
    assertThat(usage.tokens().outputTokens()).isEqualTo(2);
    assertThat(usage.tokens().streamCompleted()).isTrue();
    assertThat(usage.firstTokenTime()).isEqualTo(NOW);
    assertThat(usage.errorClass()).isNull();
  }

  @Test
  void shouldEndTheClientsStreamWithAnErrorWhenTheUpstreamStreamIsCut() throws Exception {
    // Given a provider whose stream breaks off after one event (the connection closes mid-body)
    serveTutorial();
    provider.answer(FakeProvider.sse(List.of(event("{\"type\":\"text\",\"text\":\"Kube\"}")), null, true));

    // When a client streams
    HttpResponse<String> response = stack.post("/ai/claude/v1/chat/completions", STREAM_CHAT, "x-request-id", "cut-1");

    // Then the stream ends with an error event, never a clean end
    assertThat(response.body()).contains("\"text\":\"Kube\"")
        .contains("\"type\":\"error\"").contains("UPSTREAM_STREAM_INTERRUPTED")
        .doesNotContain("[DONE]");
    UsageEvent usage = stack.usageOf("cut-1");
    assertThat(usage.errorClass()).isEqualTo("UPSTREAM_STREAM_INTERRUPTED");
    assertThat(usage.tokens().streamCompleted()).isFalse();
    // the provider reported no count before the cut: the output seen so far ("Kube") is estimated
    assertThat(usage.tokens().source()).isEqualTo(TokenUsage.Source.estimated);
    assertThat(usage.tokens().outputTokens()).isEqualTo(1);
  }

  @Test
  void shouldEndASameFormatStreamWithAnErrorWhenTheProviderNeverSentItsEndMarker() throws Exception {
    // Given an OpenAI-format provider whose body ends cleanly but without [DONE]
    serveTutorial();
    provider.answer(FakeProvider.sse(List.of(event("{\"type\":\"text\",\"text\":\"Hi\"}")), null, false));

    // When an OpenAI client streams from it
    HttpResponse<String> response = stack.post("/ai/gemini/v1/chat/completions", STREAM_CHAT, "x-request-id", "cut-2");

    // Then the provider's bytes are relayed and an error event, not [DONE], closes the stream
    assertThat(response.body()).startsWith(event("{\"type\":\"text\",\"text\":\"Hi\"}"))
        .contains("UPSTREAM_STREAM_INTERRUPTED").doesNotContain("[DONE]");
    assertThat(stack.usageOf("cut-2").tokens().streamCompleted()).isFalse();
  }

  @Test
  void shouldAnswer404InTheOpenAiErrorShapeWhenNoRouteMatches() throws Exception {
    serveTutorial();

    HttpResponse<String> response = stack.post("/ai/geminix/v1/chat/completions", CHAT, "x-request-id", "nf-1");

    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode error = Json.mapper().readTree(response.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("route_not_found");
    assertThat(error.path("type").asText()).isEqualTo("not_found_error");
    assertThat(error.path("message").asText()).contains("/ai/geminix/v1/chat/completions");
    UsageEvent usage = stack.usageOf("nf-1");
    assertThat(usage.attempt()).isZero();
    assertThat(usage.status()).isEqualTo(404);
    assertThat(usage.errorClass()).isEqualTo("ROUTE_NOT_FOUND");
    assertThat(usage.gateway()).isEqualTo(GATEWAY);
    assertThat(provider.received()).isEmpty();
  }

  @Test
  void shouldAnswer400InTheClientsShapeWhenTheBodyIsNotJsonOrNotARequest() throws Exception {
    serveTutorial();

    HttpResponse<String> notJson = stack.post("/ai/claude/v1/chat/completions", "{not json");
    HttpResponse<String> noMessages = stack.post("/ai/claude/v1/chat/completions", "{\"model\":\"x\"}");

    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(Json.mapper().readTree(notJson.body()).path("error").path("format").asText()).isEqualTo("oa");
    assertThat(notJson.body()).contains("INVALID_REQUEST");
    assertThat(noMessages.statusCode()).isEqualTo(400);
    assertThat(noMessages.body()).contains("messages: required");
    assertThat(provider.received()).isEmpty();
  }

  @Test
  void shouldAnswer413WhenTheBodyIsLargerThanTheLimit() throws Exception {
    // Given a proxy that accepts at most 1 KiB
    stack.close();
    stack = TestStack.start(stateDir, Clock.systemUTC(), Map.of("TOLLWAY_MAX_REQUEST_BYTES", "1024"));
    serveTutorial();

    // When a client sends more
    String big = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(4096) + "\"}]}";
    HttpResponse<String> response = stack.post("/ai/claude/v1/chat/completions", big);

    // Then it is refused before reaching the provider
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("request_too_large");
    assertThat(provider.received()).isEmpty();
  }

  @Test
  void shouldAnswer500WithTheReasonWhenTheBackendIsUnresolved() throws Exception {
    // Given a route whose backend reference could not be resolved by config-service
    stack.publish(snapshot(List.of(new RouteEntry("default/llm-route", 0, List.of("http"), List.of(), RouteMatch.any(),
            List.of(), List.of(BackendRef.unresolved("default/missing", 1, "backend default/missing not found")), null)),
        Map.of()));
    stack.awaitReady();

    HttpResponse<String> response = stack.post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(500);
    JsonNode error = Json.mapper().readTree(response.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("backend_unavailable");
    assertThat(error.path("message").asText()).isEqualTo("backend default/missing not found");
  }

  @Test
  void shouldAnswer400WhenNeitherTheBackendNorTheRequestNamesAModel() throws Exception {
    // Given a backend without a model
    stack.publish(snapshot(List.of(catchAll("default/llm-route", "default/openai")),
        Map.of("default/openai", aiBackend(stack.cipher, "default/openai", ProviderType.openai, provider.port(), null))));
    stack.awaitReady();

    HttpResponse<String> response = stack.post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("model: required (the backend sets none)");
    assertThat(provider.received()).isEmpty();
  }

  @Test
  void shouldTranslateAProviderErrorWithItsRetryAfter() throws Exception {
    serveTutorial();
    provider.answer(FakeProvider.json(429, "{\"error\":{\"message\":\"slow down\"}}", Map.of("Retry-After", "7")));

    HttpResponse<String> response = stack.post("/ai/claude/v1/chat/completions", CHAT, "x-request-id", "rl-1");

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("retry-after")).hasValue("7");
    assertThat(response.body()).contains("\"format\":\"oa\"").contains("UPSTREAM_RATE_LIMITED").contains("slow down");
    assertThat(stack.usageOf("rl-1").errorClass()).isEqualTo("UPSTREAM_RATE_LIMITED");
  }

  @Test
  void shouldAnswer503WhenTheProviderCannotBeReached() throws Exception {
    // Given a backend pointing at a port nobody listens on
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    stack.publish(snapshot(List.of(catchAll("default/llm-route", "default/openai")),
        Map.of("default/openai", aiBackend(stack.cipher, "default/openai", ProviderType.openai, closedPort, "m"))));
    stack.awaitReady();

    HttpResponse<String> response = stack.post("/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("UPSTREAM_UNREACHABLE").contains("Connection refused");
  }

  @Test
  void shouldFinishARequestInFlightOnTheTableItStartedWithWhenASnapshotSwaps() throws Exception {
    // Given a stream in flight through /ai/claude
    serveTutorial();
    CountDownLatch release = new CountDownLatch(1);
    provider.answer(FakeProvider.sse(List.of(event("{\"type\":\"text\",\"text\":\"one\"}"),
        event("{\"type\":\"text\",\"text\":\"two\"}"), TestCodec.DONE), release, false));
    var inFlight = stack.http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.port() + "/ai/claude/v1/chat/completions"))
            .POST(HttpRequest.BodyPublishers.ofString(STREAM_CHAT)).build(),
        HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(10)).until(() -> provider.received().size() == 1);

    // When a new snapshot removes that route
    stack.publish(snapshot(List.of(prefixRoute("default/llm-route", 0, "/ai/gemini", "default/gemini")),
        Map.of("default/gemini", aiBackend(stack.cipher, "default/gemini", ProviderType.openai, provider.port(), "g"))));
    await().atMost(Duration.ofSeconds(10))
        .until(() -> stack.proxy.routingTable().match(probe("/ai/claude/x")).isEmpty());
    release.countDown();

    // Then the request in flight completes cleanly, and new requests see the new table
    HttpResponse<String> finished = inFlight.get();
    assertThat(finished.statusCode()).isEqualTo(200);
    assertThat(finished.body()).contains("\"text\":\"one\"").contains("\"text\":\"two\"").endsWith("data: [DONE]\n\n");
    assertThat(stack.post("/ai/claude/v1/chat/completions", CHAT).statusCode()).isEqualTo(404);
  }

  @Test
  void shouldSkipASnapshotRecordThatDoesNotDecodeAndKeepTheLastGoodOne() throws Exception {
    // Given a served snapshot
    serveTutorial();

    // When a corrupt record for the same Gateway arrives, followed by a valid change
    stack.publishRaw(GATEWAY, "{\"schemaVersion\":1,\"gateway\":".getBytes(StandardCharsets.UTF_8));
    await().atMost(Duration.ofSeconds(10)).until(() -> stack.admin("/metrics").body()
        .contains("tollway_snapshot_records_total{outcome=\"rejected\"} 1.0"));

    // Then the proxy still routes with the last good snapshot
    provider.answer(FakeProvider.json(200, "{\"text\":\"still here\"}"));
    HttpResponse<String> response = stack.post("/ai/claude/v1/chat/completions", CHAT);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("still here");
    assertThat(stack.proxy.isReady()).isTrue();
  }

  @Test
  void shouldStopServingAGatewayWhenItsSnapshotIsTombstoned() throws Exception {
    serveTutorial();

    stack.publishRaw(GATEWAY, null);

    await().atMost(Duration.ofSeconds(10)).until(() -> !stack.proxy.isReady());
    assertThat(stack.admin("/readyz").statusCode()).isEqualTo(503);
    assertThat(stack.proxy.localPort(80)).isEmpty();
  }

  @Test
  void shouldServeAtOnceFromTheStateDirectoryWhenRestartedWithKafkaDown() throws Exception {
    // Given a proxy that received a snapshot and stopped
    serveTutorial();
    stack.close();

    // When a new proxy starts with the same state directory and key, and the config topic unreachable
    stack = TestStack.start(stateDir, Clock.systemUTC(), Map.of(), stack.cipher, null, false);

    // Then it is ready and routes without Kafka
    stack.awaitReady();
    provider.answer(FakeProvider.json(200, "{\"text\":\"from disk\"}"));
    HttpResponse<String> response = stack.post("/ai/gemini/v1/chat/completions", CHAT);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("from disk");
    assertThat(provider.last().header("authorization")).isEqualTo("Bearer " + PROVIDER_KEY);
    assertThat(java.nio.file.Files.readString(stateDir.resolve("snapshot-default%2Fagentgateway.json")))
        .doesNotContain(PROVIDER_KEY);
  }

  @Test
  void shouldAnswerRequestsWhenTheUsageQueueIsFullAndCountTheDrops() throws Exception {
    // Given a usage producer stuck as if Kafka were down, and room for one queued event
    CountDownLatch kafkaBack = new CountDownLatch(1);
    var stuck = new org.apache.kafka.clients.producer.MockProducer<String, byte[]>(
        true, null, new org.apache.kafka.common.serialization.StringSerializer(),
        new org.apache.kafka.common.serialization.ByteArraySerializer()) {
      @Override
      public synchronized java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> send(
          org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> record,
          org.apache.kafka.clients.producer.Callback callback) {
        try {
          kafkaBack.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.send(record, callback);
      }
    };
    stack.close();
    stack = TestStack.start(stateDir, Clock.systemUTC(), Map.of("TOLLWAY_USAGE_QUEUE", "1"),
        dev.tollway.schemas.crypto.SnapshotCipher.generate(), stuck, true);
    serveTutorial();
    provider.answer(FakeProvider.json(200, "{\"text\":\"ok\"}"));

    // When four requests go through
    for (int i = 0; i < 4; i++) {
      // Then every one is answered
      assertThat(stack.post("/ai/gemini/v1/chat/completions", CHAT).statusCode()).isEqualTo(200);
    }

    // And the events that did not fit were counted as dropped
    await().atMost(Duration.ofSeconds(10)).until(() -> stack.admin("/metrics").body()
        .contains("tollway_usage_events_total{outcome=\"dropped\"} 2.0"));
    kafkaBack.countDown();
  }

  @Test
  void shouldCountRequestsByRouteStatusAndReasonOnTheMetricsEndpoint() throws Exception {
    serveTutorial();
    provider.answer(FakeProvider.json(200, "{\"text\":\"ok\",\"usage\":{\"input\":1,\"output\":1}}"));

    stack.post("/ai/gemini/v1/chat/completions", CHAT);
    stack.post("/nowhere", CHAT);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stack.admin("/metrics").body())
        .contains("tollway_requests_total{reason=\"\",route=\"default/llm-route#1\",status=\"200\"} 1.0")
        .contains("tollway_requests_total{reason=\"ROUTE_NOT_FOUND\",route=\"\",status=\"404\"} 1.0")
        .contains("tollway_upstream_latency_seconds_count{endpoint=\"127.0.0.1:" + provider.port()
            + "\",provider=\"openai\",status=\"200\"} 1"));
  }

  @Test
  void shouldProxyAPlainHttpBackendAsItIsButNeverWithTheClientsCredential() throws Exception {
    // Given a route to a Kubernetes Service, as the tutorial's MCP routes
    stack.publish(snapshot(List.of(prefixRoute("default/mcp", 0, "/ai/mcps/kubernetes", "default/mcp-k8s")),
        Map.of("default/mcp-k8s", Backend.host("default/mcp-k8s", new Backend.HostBackend("127.0.0.1", provider.port(), false)))));
    stack.awaitReady();
    provider.answer(FakeProvider.json(200, "{\"jsonrpc\":\"2.0\",\"id\":1}", Map.of("Mcp-Session-Id", "session-9")));

    // When a client calls it with its own token
    HttpResponse<String> response = stack.post("/ai/mcps/kubernetes/mcp?probe=1",
        "{\"jsonrpc\":\"2.0\",\"method\":\"initialize\",\"id\":1}",
        "Authorization", "Bearer github-token", "Accept", "application/json, text/event-stream", "x-request-id", "mcp-1");

    // Then the backend sees the rewritten path, the client's headers and Host, and the answer comes back as it is
    FakeProvider.Received upstream = provider.last();
    assertThat(upstream.path()).isEqualTo("/mcp?probe=1");
    assertThat(upstream.header("authorization")).isNull();
    assertThat(upstream.header("host")).isEqualTo("127.0.0.1:" + stack.port());
    assertThat(upstream.header("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(upstream.body()).contains("initialize");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("mcp-session-id")).hasValue("session-9");
    assertThat(response.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1}");
    UsageEvent usage = stack.usageOf("mcp-1");
    assertThat(usage.backend()).isEqualTo("default/mcp-k8s");
    assertThat(usage.attempt()).isEqualTo(1);
    assertThat(usage.tokens().source()).isEqualTo(TokenUsage.Source.none);
  }

  @Test
  void shouldForwardAPassthroughRouteUntouchedAndStillMeterTheAnswer() throws Exception {
    // Given an AI backend whose routes map sends everything through
    stack.publish(snapshot(List.of(catchAll("default/llm-route", "default/openai")),
        Map.of("default/openai", aiBackend(stack.cipher, "default/openai", ProviderType.openai, provider.port(), "gpt-4o",
            new dev.tollway.schemas.snapshot.AiBackend.AiPolicy(new java.util.TreeMap<>(Map.of("*", "Passthrough")),
                new java.util.TreeMap<>())))));
    stack.awaitReady();
    provider.answer(FakeProvider.json(200, "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,"
        + "\"embedding\":[0.1]}],\"model\":\"gpt-4o-2024\",\"usage\":{\"prompt_tokens\":4,\"total_tokens\":4}}"));

    // When a client posts a body that is not even a chat request
    HttpResponse<String> response = stack.post("/v1/embeddings", "{\"input\":\"hello\"}",
        "Authorization", "Bearer client-secret", "x-request-id", "pt-1");

    // Then the provider gets it byte for byte on the same path, with the provider key
    assertThat(provider.last().path()).isEqualTo("/v1/embeddings");
    assertThat(provider.last().body()).isEqualTo("{\"input\":\"hello\"}");
    assertThat(provider.last().header("authorization")).isEqualTo("Bearer " + PROVIDER_KEY);
    assertThat(response.statusCode()).isEqualTo(200);
    UsageEvent usage = stack.usageOf("pt-1");
    assertThat(usage.clientApi()).isEqualTo("passthrough");
    assertThat(usage.responseModel()).isEqualTo("gpt-4o-2024");
    assertThat(usage.tokens().inputTokens()).isEqualTo(4);
  }

  @Test
  void shouldDrainAStreamInFlightWhenClosed() throws Exception {
    // Given a stream in flight
    serveTutorial();
    CountDownLatch release = new CountDownLatch(1);
    provider.answer(FakeProvider.sse(List.of(event("{\"type\":\"text\",\"text\":\"one\"}"),
        event("{\"type\":\"text\",\"text\":\"two\"}"), TestCodec.DONE), release, false));
    var inFlight = stack.http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.port() + "/ai/gemini/v1/chat/completions"))
            .header("x-request-id", "drain-1")
            .POST(HttpRequest.BodyPublishers.ofString(STREAM_CHAT)).build(),
        HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(10)).until(() -> provider.received().size() == 1);

    // When the proxy is asked to stop
    var closing = java.util.concurrent.CompletableFuture.runAsync(stack.proxy::close);
    await().atMost(Duration.ofSeconds(5)).until(() -> !stack.proxy.isReady());
    assertThat(closing).isNotDone();
    release.countDown();

    // Then the stream completes before the proxy stops, and its usage is flushed
    assertThat(inFlight.get().body()).endsWith("data: [DONE]\n\n");
    closing.get();
    assertThat(stack.usageEvents()).extracting(UsageEvent::requestId).contains("drain-1");
  }

  @Test
  void shouldRelayALargeAnswerIntactWhileTheClientReadsSlowerThanTheUpstreamWrites() throws Exception {
    // Given a plain HTTP backend that writes 8 MiB as fast as it can
    byte[] big = new byte[8 * 1024 * 1024];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31 + (i >>> 13));
    }
    stack.publish(snapshot(List.of(catchAll("default/files", "default/files")),
        Map.of("default/files", Backend.host("default/files", new Backend.HostBackend("127.0.0.1", provider.port(), false)))));
    stack.awaitReady();
    provider.answer(exchange -> {
      exchange.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE, "application/octet-stream");
      for (int offset = 0; offset < big.length; offset += 65536) {
        exchange.getOutputStream().write(big, offset, 65536);
      }
    });

    // When the client takes it in small reads (the proxy's writes back up, so it must pause the upstream)
    HttpResponse<java.io.InputStream> response = stack.http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.port() + "/big")).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
    try (java.io.InputStream in = response.body()) {
      byte[] buffer = new byte[1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        received.write(buffer, 0, n);
      }
    }

    // Then every byte arrives, in order
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(received.size()).isEqualTo(big.length);
    assertThat(java.util.Arrays.equals(received.toByteArray(), big)).isTrue();
  }

  private static dev.tollway.edge.routing.RequestView probe(String path) {
    return new dev.tollway.edge.routing.RequestView(80, "POST", "localhost", path, "", Map.of(), Map.of());
  }
}
