package dev.tollway.edge;

import static dev.tollway.edge.testing.TestSnapshots.GATEWAY;
import static dev.tollway.edge.testing.TestSnapshots.PROVIDER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.provider.ProviderProtocols;
import dev.tollway.edge.provider.wire.IdSource;
import dev.tollway.edge.testing.FakeProvider;
import dev.tollway.edge.testing.MutableClock;
import dev.tollway.edge.testing.Scrape;
import dev.tollway.edge.testing.TestStack;
import dev.tollway.edge.trace.OtelTracing;
import dev.tollway.edge.trace.TraceContext;
import dev.tollway.edge.trace.Tracing;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.AiBackend;
import dev.tollway.schemas.snapshot.Backend;
import dev.tollway.schemas.snapshot.BackendRef;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.Listener;
import dev.tollway.schemas.snapshot.Provider;
import dev.tollway.schemas.snapshot.RouteEntry;
import dev.tollway.schemas.snapshot.RouteMatch;
import dev.tollway.schemas.snapshot.RoutePolicy;
import dev.tollway.schemas.usage.UsageEvent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What an operator sees of the proxy: the GenAI metrics on {@code /metrics}, the access log, and the traces —
 * after known requests through the real OpenAI codec to a provider on a local port.
 */
class ObservabilityTest {

  private static final Instant NOW = Instant.parse("2026-11-26T17:00:00Z");
  private static final String ROUTE = "default/llm#0";
  private static final String BACKEND = "default/openai";
  private static final String CANARY_PROMPT = "canary-prompt-7f3a9 what is Kubernetes?";
  private static final String CANARY_ANSWER = "canary-answer-51c2e";
  private static final String CLIENT_KEY = "sk-canary-client-key-0042";
  private static final String CHAT =
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + CANARY_PROMPT + "\"}]}";
  private static final String STREAM_CHAT = "{\"model\":\"gpt-4o\",\"stream\":true,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"" + CANARY_PROMPT + "\"}]}";
  private static final String ANSWER = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1754000000,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
      + "\"content\":\"" + CANARY_ANSWER + "\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":2006,\"completion_tokens\":300,\"total_tokens\":2306,"
      + "\"prompt_tokens_details\":{\"cached_tokens\":1920},\"completion_tokens_details\":{\"reasoning_tokens\":256}}}";
  private static final String STREAM_FIRST =
      chunk("{\"role\":\"assistant\",\"content\":\"\"}", null) + chunk("{\"content\":\"" + CANARY_ANSWER + "\"}", null);
  private static final String STREAM_REST = chunk("{\"content\":\" more\"}", null) + chunk("{}", "stop")
      + "data: {\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\","
      + "\"choices\":[],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":11,\"total_tokens\":30}}\n\n"
      + "data: [DONE]\n\n";

  @TempDir Path stateDir;
  private final MutableClock clock = new MutableClock(NOW);
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private FakeProvider provider;
  private FakeProvider fallback;
  private TestStack stack;

  private static String chunk(String delta, String finish) {
    return "data: {\"id\":\"c2\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
        + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
  }

  @BeforeEach
  void setUp() {
    provider = new FakeProvider();
    fallback = new FakeProvider();
    stack = TestStack.start(stateDir, clock, new ProviderProtocols(clock, IdSource.counting()),
        OtelTracing.exportingTo(spans, 1.0));
  }

  @AfterEach
  void tearDown() {
    stack.close();
    provider.close();
    fallback.close();
  }

  private Provider openAi(String name, int port) {
    return new Provider(name, Provider.ProviderType.openai, "gpt-4o-mini", "127.0.0.1", port, null, null, false,
        new TreeMap<>(), Provider.ProviderAuth.key(stack.cipher.seal(GATEWAY, PROVIDER_KEY)));
  }

  /** One route to an OpenAI backend: the provider, then (a lower-priority group) the fallback; retries on 503. */
  private void serve() {
    Backend backend = Backend.ai(BACKEND, new AiBackend(
        List.of(new AiBackend.ProviderGroup(List.of(openAi("primary", provider.port()))),
            new AiBackend.ProviderGroup(List.of(openAi("fallback", fallback.port())))),
        AiBackend.AiPolicy.none(), null, null));
    RouteEntry route = new RouteEntry("default/llm", 0, List.of("http"), List.of(), RouteMatch.any(), List.of(),
        List.of(BackendRef.resolved(BACKEND, 1)), null,
        new RoutePolicy(null, List.of(), new RoutePolicy.Retry(List.of(503), 2, null)));
    stack.publish(GatewaySnapshot.of(GATEWAY, "agentgateway", List.of(new Listener("http", "HTTP", 80, null, null)),
        List.of(route), Map.of(BACKEND, backend)));
    stack.awaitReady();
  }

  private static Map<String, String> genAi(String... more) {
    Map<String, String> labels = new TreeMap<>(Map.of(
        "gen_ai_operation_name", "chat",
        "gen_ai_provider_name", "openai",
        "gen_ai_request_model", "gpt-4o",
        "gen_ai_response_model", "gpt-4o-mini-2024-07-18",
        "gateway", GATEWAY,
        "route", ROUTE,
        "backend", BACKEND));
    for (int i = 0; i + 1 < more.length; i += 2) {
      labels.put(more[i], more[i + 1]);
    }
    return labels;
  }

  /** A streamed chat: the provider answers 250 ms after the request, the rest of the stream 1 s after that. */
  private List<String> streamedChat() throws Exception {
    CountDownLatch rest = new CountDownLatch(1);
    provider.answer(exchange -> {
      clock.advance(Duration.ofMillis(250));
      FakeProvider.sse(List.of(STREAM_FIRST, STREAM_REST), rest, false).respond(exchange);
    });
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.port() + "/v1/chat/completions"))
        .header("Content-Type", "application/json").header("x-request-id", "streamed")
        .POST(HttpRequest.BodyPublishers.ofString(STREAM_CHAT)).build();
    HttpResponse<Stream<String>> response = stack.http.send(request, HttpResponse.BodyHandlers.ofLines());
    Iterator<String> lines = response.body().iterator();
    List<String> seen = new java.util.ArrayList<>();
    while (lines.hasNext()) {
      String line = lines.next();
      seen.add(line);
      if (line.contains(CANARY_ANSWER)) {
        clock.advance(Duration.ofSeconds(1));
        rest.countDown();
      }
    }
    return seen;
  }

  @Test
  void shouldExposeTokenHistogramsDurationsAndRequestCountersWithTheirValuesAndLabels() throws Exception {
    // Given a route to an OpenAI provider
    serve();

    // When a non-streamed chat is answered in 500 ms with 2006 input tokens (1920 from the cache) and 300 output
    provider.answer(exchange -> {
      clock.advance(Duration.ofMillis(500));
      FakeProvider.json(200, ANSWER).respond(exchange);
    });
    assertThat(stack.post("/v1/chat/completions", CHAT, "Content-Type", "application/json").statusCode()).isEqualTo(200);
    // and a streamed one whose first token comes after 250 ms and the other 10 of 11 output tokens 1 s later
    assertThat(streamedChat()).anyMatch(line -> line.contains("[DONE]"));
    // and one the provider refuses with 429
    provider.answer(FakeProvider.json(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit\"}}"));
    assertThat(stack.post("/v1/chat/completions", CHAT, "Content-Type", "application/json").statusCode()).isEqualTo(429);

    // Then the scrape carries the token histograms by type with the OpenTelemetry buckets
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        Scrape.parse(stack.admin("/metrics").body()).value("tollway_requests_total",
            Map.of("route", ROUTE, "status", "429", "reason", "UPSTREAM_RATE_LIMITED"))).isEqualTo(1.0));
    Scrape scrape = Scrape.parse(stack.admin("/metrics").body());
    assertThat(scrape.value("gen_ai_client_token_usage_count", genAi("gen_ai_token_type", "input"))).isEqualTo(2.0);
    assertThat(scrape.value("gen_ai_client_token_usage_sum", genAi("gen_ai_token_type", "input"))).isEqualTo(2025.0);
    assertThat(scrape.value("gen_ai_client_token_usage_bucket", genAi("gen_ai_token_type", "input", "le", "16")))
        .isEqualTo(0.0);
    assertThat(scrape.value("gen_ai_client_token_usage_bucket", genAi("gen_ai_token_type", "input", "le", "64")))
        .isEqualTo(1.0);
    assertThat(scrape.value("gen_ai_client_token_usage_bucket", genAi("gen_ai_token_type", "input", "le", "4096")))
        .isEqualTo(2.0);
    assertThat(scrape.value("gen_ai_client_token_usage_bucket", genAi("gen_ai_token_type", "input", "le", "67108864")))
        .isEqualTo(2.0);
    assertThat(scrape.value("gen_ai_client_token_usage_sum", genAi("gen_ai_token_type", "output"))).isEqualTo(311.0);
    assertThat(scrape.value("gen_ai_client_token_usage_sum", genAi("gen_ai_token_type", "input_cache_read")))
        .isEqualTo(1920.0);
    assertThat(scrape.value("gen_ai_client_token_usage_count", genAi("gen_ai_token_type", "input_cache_read")))
        .isEqualTo(1.0);
    assertThat(scrape.find("gen_ai_client_token_usage_count", Map.of("gen_ai_token_type", "input_cache_write")))
        .isEmpty();
    // and the request durations as the client saw them, by error type
    assertThat(scrape.value("gen_ai_server_request_duration_seconds_count", genAi("error_type", ""))).isEqualTo(2.0);
    assertThat(scrape.value("gen_ai_server_request_duration_seconds_sum", genAi("error_type", ""))).isEqualTo(1.75);
    assertThat(scrape.value("gen_ai_server_request_duration_seconds_bucket", genAi("error_type", "", "le", "0.32")))
        .isEqualTo(0.0);
    assertThat(scrape.value("gen_ai_server_request_duration_seconds_bucket", genAi("error_type", "", "le", "0.64")))
        .isEqualTo(1.0);
    assertThat(scrape.value("gen_ai_server_request_duration_seconds_bucket", genAi("error_type", "", "le", "1.28")))
        .isEqualTo(2.0);
    assertThat(scrape.find("gen_ai_server_request_duration_seconds_count", Map.of("error_type", "UPSTREAM_RATE_LIMITED")))
        .singleElement().extracting(Scrape.Sample::value).isEqualTo(1.0);
    // and the streamed answer's time to first token and time per output token
    assertThat(scrape.value("gen_ai_server_time_to_first_token_seconds_count", genAi())).isEqualTo(1.0);
    assertThat(scrape.value("gen_ai_server_time_to_first_token_seconds_sum", genAi())).isEqualTo(0.25);
    assertThat(scrape.value("gen_ai_server_time_to_first_token_seconds_bucket", genAi("le", "0.1"))).isEqualTo(0.0);
    assertThat(scrape.value("gen_ai_server_time_to_first_token_seconds_bucket", genAi("le", "0.25"))).isEqualTo(1.0);
    assertThat(scrape.value("gen_ai_server_time_per_output_token_seconds_count", genAi())).isEqualTo(1.0);
    assertThat(scrape.value("gen_ai_server_time_per_output_token_seconds_sum", genAi())).isEqualTo(0.1);
    // and the request counters by route, status and reason
    assertThat(scrape.value("tollway_requests_total", Map.of("route", ROUTE, "status", "200", "reason", "")))
        .isEqualTo(2.0);
    // and the pool: the connection to the provider is idle again, none is in use
    String upstream = "127.0.0.1:" + provider.port();
    assertThat(scrape.value("tollway_upstream_connections", Map.of("upstream", upstream, "state", "active")))
        .isEqualTo(0.0);
    assertThat(scrape.value("tollway_upstream_connections", Map.of("upstream", upstream, "state", "idle")))
        .isGreaterThanOrEqualTo(1.0);
    assertThat(scrape.value("tollway_upstream_latency_seconds_count",
        Map.of("provider", "openai", "endpoint", upstream, "status", "200"))).isEqualTo(2.0);
    // and nothing carries a request id or a raw path
    assertThat(scrape.samples()).allSatisfy(sample -> assertThat(sample.labels().keySet())
        .doesNotContain("request_id", "path"));
  }

  @Test
  void shouldBoundTheModelLabelsThatClientsControl() throws Exception {
    // Given a provider that answers anything
    serve();
    provider.answer(FakeProvider.json(200, ANSWER));

    // When clients ask for more distinct models than the label keeps
    for (int i = 0; i < 203; i++) {
      stack.post("/v1/chat/completions", CHAT.replace("gpt-4o", "model-" + i), "Content-Type", "application/json");
    }

    // Then the first 200 have their own series and the rest share one
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      Scrape scrape = Scrape.parse(stack.admin("/metrics").body());
      assertThat(scrape.find("gen_ai_server_request_duration_seconds_count", Map.of())).hasSize(201);
      assertThat(scrape.value("gen_ai_server_request_duration_seconds_count",
          Map.of("gen_ai_request_model", "_other"))).isEqualTo(3.0);
    });
  }

  @Test
  void shouldLogOneJsonLinePerRequestWithTheGenAiFieldsAndNeitherPromptNorAnswerNorKey() throws Exception {
    // Given a captured access log
    Logger access = (Logger) LoggerFactory.getLogger("tollway.access");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    access.addAppender(lines);
    try {
      serve();
      provider.answer(exchange -> {
        clock.advance(Duration.ofMillis(500));
        FakeProvider.json(200, ANSWER).respond(exchange);
      });

      // When a client with its own key sends a chat with a canary prompt, and the provider answers a canary
      stack.post("/v1/chat/completions", CHAT, "Content-Type", "application/json", "Authorization",
          "Bearer " + CLIENT_KEY, "x-request-id", "logged",
          "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
      streamedChat();

      // Then one line per request, in JSON, with the GenAI fields
      await().atMost(Duration.ofSeconds(10)).until(() -> lines.list.size() >= 2);
      List<String> logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      JsonNode line = Json.mapper().readTree(logged.get(0));
      assertThat(line.get("requestId").asText()).isEqualTo("logged");
      assertThat(line.get("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertThat(line.get("method").asText()).isEqualTo("POST");
      assertThat(line.get("path").asText()).isEqualTo("/v1/chat/completions");
      assertThat(line.get("status").asInt()).isEqualTo(200);
      assertThat(line.get("durationMs").asDouble()).isEqualTo(500.0);
      assertThat(line.get("route").asText()).isEqualTo(ROUTE);
      assertThat(line.get("backend").asText()).isEqualTo(BACKEND);
      assertThat(line.get("gen_ai.operation.name").asText()).isEqualTo("chat");
      assertThat(line.get("gen_ai.provider.name").asText()).isEqualTo("openai");
      assertThat(line.get("gen_ai.request.model").asText()).isEqualTo("gpt-4o");
      assertThat(line.get("providerModel").asText()).isEqualTo("gpt-4o-mini");
      assertThat(line.get("gen_ai.response.model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
      assertThat(line.get("gen_ai.usage.input_tokens").asLong()).isEqualTo(2006);
      assertThat(line.get("gen_ai.usage.output_tokens").asLong()).isEqualTo(300);
      assertThat(line.get("gen_ai.usage.cache_read.input_tokens").asLong()).isEqualTo(1920);
      assertThat(line.get("gen_ai.usage.reasoning_tokens").asLong()).isEqualTo(256);
      assertThat(line.get("tokenSource").asText()).isEqualTo("provider");
      assertThat(line.get("attempts").asInt()).isEqualTo(1);
      assertThat(line.get("streamed").asBoolean()).isFalse();
      assertThat(line.has("error")).isFalse();
      assertThat(line.has("cost")).isFalse();
      JsonNode streamed = Json.mapper().readTree(logged.get(1));
      assertThat(streamed.get("streamed").asBoolean()).isTrue();
      assertThat(streamed.get("timeToFirstTokenMs").asDouble()).isEqualTo(250.0);
      assertThat(streamed.get("durationMs").asDouble()).isEqualTo(1250.0);
      assertThat(streamed.get("gen_ai.usage.output_tokens").asLong()).isEqualTo(11);
      // and never the prompt, the answer, the client's key or the provider's
      assertThat(String.join("\n", logged))
          .doesNotContain("canary-prompt").doesNotContain(CANARY_ANSWER)
          .doesNotContain(CLIENT_KEY).doesNotContain(PROVIDER_KEY);
    } finally {
      access.detachAppender(lines);
    }
  }

  @Test
  void shouldExportASpanPerRequestAndPerAttemptInTheCallersTraceAndSendEachAttemptItsOwnTraceparent()
      throws Exception {
    // Given a primary provider that answers 503 and a fallback that answers, with a retry on 503
    serve();
    provider.answer(FakeProvider.json(503, "{\"error\":{\"message\":\"overloaded\"}}"));
    fallback.answer(FakeProvider.json(200, ANSWER));
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String callerSpan = "00f067aa0ba902b7";

    // When a client in a sampled trace sends a chat
    assertThat(stack.post("/v1/chat/completions", CHAT, "Content-Type", "application/json", "x-request-id", "traced",
        "traceparent", "00-" + traceId + "-" + callerSpan + "-01", "tracestate", "vendor=opaque").statusCode())
        .isEqualTo(200);

    // Then three spans were exported in the caller's trace: the request's, child of the caller's span
    await().atMost(Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().size() == 3);
    List<SpanData> finished = spans.getFinishedSpanItems();
    SpanData request = finished.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    assertThat(request.getTraceId()).isEqualTo(traceId);
    assertThat(request.getParentSpanId()).isEqualTo(callerSpan);
    assertThat(request.getName()).isEqualTo("chat gpt-4o");
    assertThat(request.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("chat");
    assertThat(request.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name"))).isEqualTo("openai");
    assertThat(request.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo("gpt-4o");
    assertThat(request.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model")))
        .isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(request.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(2006L);
    assertThat(request.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens"))).isEqualTo(300L);
    assertThat(request.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
    assertThat(request.getAttributes().get(AttributeKey.stringKey("tollway.route"))).isEqualTo(ROUTE);
    // and one per attempt, children of the request's: the failed one with its error, then the one that answered
    List<SpanData> attempts = finished.stream().filter(s -> s.getKind() == SpanKind.CLIENT)
        .sorted(java.util.Comparator.comparingLong(
            s -> s.getAttributes().get(AttributeKey.longKey("tollway.attempt")))).toList();
    assertThat(attempts).hasSize(2).allSatisfy(attempt -> {
      assertThat(attempt.getTraceId()).isEqualTo(traceId);
      assertThat(attempt.getParentSpanId()).isEqualTo(request.getSpanId());
      assertThat(attempt.getName()).isEqualTo("chat gpt-4o-mini");
    });
    assertThat(attempts.get(0).getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(503L);
    assertThat(attempts.get(0).getAttributes().get(AttributeKey.stringKey("error.type"))).isNotNull();
    assertThat(attempts.get(0).getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo((long) provider.port());
    assertThat(attempts.get(1).getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo((long) fallback.port());
    assertThat(attempts.get(1).getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")))
        .isEqualTo("gpt-4o-mini");
    assertThat(attempts.get(1).getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"))).isEqualTo(2006L);
    // and each provider received the traceparent of its own attempt, and the caller's tracestate
    assertThat(provider.last().header("traceparent"))
        .isEqualTo("00-" + traceId + "-" + attempts.get(0).getSpanId() + "-01");
    assertThat(fallback.last().header("traceparent"))
        .isEqualTo("00-" + traceId + "-" + attempts.get(1).getSpanId() + "-01");
    assertThat(fallback.last().header("tracestate")).isEqualTo("vendor=opaque");
    // and the usage events carry the caller's trace id
    assertThat(stack.usageEvents()).filteredOn(e -> e.requestId().equals("traced"))
        .hasSize(2).extracting(UsageEvent::traceId).containsOnly(traceId);
  }

  @Test
  void shouldStartATraceForAClientWithoutOneAndPropagateItUpstreamWithTracingOff() throws Exception {
    // Given a proxy with tracing off (no OTLP endpoint)
    stack.close();
    stack = TestStack.start(stateDir.resolve("off"), clock, new ProviderProtocols(clock, IdSource.counting()),
        Tracing.off());
    serve();
    provider.answer(FakeProvider.json(200, ANSWER));

    // When a client without a traceparent sends a chat, and another one with an invalid one
    stack.post("/v1/chat/completions", CHAT, "Content-Type", "application/json", "x-request-id", "untraced");
    String first = provider.last().header("traceparent");
    stack.post("/v1/chat/completions", CHAT, "Content-Type", "application/json", "x-request-id", "invalid",
        "traceparent", "00-not-a-trace-01");
    String second = provider.last().header("traceparent");

    // Then the provider got a fresh, unsampled trace context each time, whose trace id the usage event carries
    TraceContext sent = TraceContext.parse(first);
    assertThat(sent).isNotNull();
    assertThat(sent.sampled()).isFalse();
    assertThat(stack.usageOf("untraced").traceId()).isEqualTo(sent.traceId());
    TraceContext other = TraceContext.parse(second);
    assertThat(other).isNotNull();
    assertThat(other.traceId()).isNotEqualTo(sent.traceId());
    assertThat(stack.usageOf("invalid").traceId()).isEqualTo(other.traceId());
    // and nothing was exported
    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }
}
