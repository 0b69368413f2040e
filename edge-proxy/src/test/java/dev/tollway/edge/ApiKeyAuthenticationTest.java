package dev.tollway.edge;

import static dev.tollway.edge.testing.TestSnapshots.GATEWAY;
import static dev.tollway.edge.testing.TestSnapshots.aiBackend;
import static dev.tollway.edge.testing.TestSnapshots.http80;
import static dev.tollway.edge.testing.TestSnapshots.prefixRoute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.provider.ProviderProtocols;
import dev.tollway.edge.testing.FakeProvider;
import dev.tollway.edge.testing.TestStack;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.AiBackend;
import dev.tollway.schemas.snapshot.ApiKeySet;
import dev.tollway.schemas.snapshot.ApiKeySet.ClientApiKey;
import dev.tollway.schemas.snapshot.Backend;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.Provider.ProviderType;
import dev.tollway.schemas.snapshot.RouteEntry;
import dev.tollway.schemas.snapshot.RoutePolicy;
import dev.tollway.schemas.snapshot.RoutePolicy.ApiKeyAuth;
import dev.tollway.schemas.snapshot.RoutePolicy.ApiKeyAuth.Mode;
import dev.tollway.schemas.usage.UsageEvent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

/**
 * Client API keys at the proxy: 401 in the caller's shape, the three headers and Gemini's {@code ?key=},
 * Optional mode, rotation.
 */
class ApiKeyAuthenticationTest {

  private static final Instant NOW = Instant.parse("2026-11-26T17:00:00Z");
  private static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"What is Kubernetes?\"}]}";
  private static final String KEY_SET = "default/team-keys";

  @TempDir Path stateDir;
  private FakeProvider provider;
  private TestStack stack;

  @BeforeEach
  void setUp() {
    provider = new FakeProvider();
    provider.answer(FakeProvider.json(200, "{\"text\":\"ok\",\"usage\":{\"input\":3,\"output\":2}}"));
    stack = TestStack.start(stateDir, Clock.fixed(NOW, ZoneOffset.UTC), Map.of());
  }

  @AfterEach
  void tearDown() {
    stack.close();
    provider.close();
  }

  static RouteEntry withPolicy(RouteEntry entry, RoutePolicy policy) {
    return new RouteEntry(entry.route(), entry.rule(), entry.listeners(), entry.hostnames(), entry.match(),
        entry.filters(), entry.backends(), entry.timeouts(), policy);
  }

  static ClientApiKey key(SnapshotCipher cipher, String entry, String key, String team) {
    return new ClientApiKey("default/team-keys/" + entry, entry, cipher.digest(key), team, entry + "@example.com",
        new TreeMap<>(Map.of("env", "prod")));
  }

  /** /ai/openai (OpenAI client API), /ai/claude (Anthropic client API), /mcp (plain HTTP): all behind keys. */
  private GatewaySnapshot snapshot(Mode mode, List<ClientApiKey> keys) {
    RoutePolicy policy = new RoutePolicy(new ApiKeyAuth(mode, List.of(KEY_SET)), List.of(), null);
    AiBackend.AiPolicy messages = new AiBackend.AiPolicy(new TreeMap<>(Map.of("/v1/messages", "Messages")), new TreeMap<>());
    return GatewaySnapshot.of(GATEWAY, "agentgateway", List.of(http80()),
        List.of(withPolicy(prefixRoute("default/llm", 0, "/ai/openai", "default/openai"), policy),
            withPolicy(prefixRoute("default/llm", 1, "/ai/claude", "default/claude"), policy),
            withPolicy(prefixRoute("default/mcp", 0, "/mcp", "default/mcp"), policy)),
        Map.of(KEY_SET, new ApiKeySet(keys)),
        Map.of("default/openai", aiBackend(stack.cipher, "default/openai", ProviderType.openai, provider.port(), "gpt-4o"),
            "default/claude", aiBackend(stack.cipher, "default/claude", ProviderType.openai, provider.port(), "gpt-4o", messages),
            "default/mcp", Backend.host("default/mcp", new Backend.HostBackend("127.0.0.1", provider.port(), false))));
  }

  private void serve(Mode mode, List<ClientApiKey> keys) {
    stack.publish(snapshot(mode, keys));
    stack.awaitReady();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      /ai/openai/v1/chat/completions | oa
      /ai/claude/v1/messages         | an
      """)
  void shouldRefuseARequestWithoutAKeyWith401InTheCallersShape(String path, String format) throws Exception {
    // Given routes that require a key
    serve(Mode.Strict, List.of(key(stack.cipher, "alice", "sk-alice", "payments")));

    // When a client sends none
    HttpResponse<String> response = stack.post(path, CHAT, "x-request-id", "no-key");

    // Then it gets 401 in its own API's error shape, and the provider is never called
    assertThat(response.statusCode()).isEqualTo(401);
    JsonNode error = Json.mapper().readTree(response.body()).get("error");
    assertThat(error.get("format").asText()).isEqualTo(format);
    assertThat(error.get("code").asText()).isEqualTo("UNAUTHENTICATED");
    assertThat(error.get("message").asText()).contains("an API key is required");
    assertThat(provider.received()).isEmpty();
    UsageEvent usage = stack.usageOf("no-key");
    assertThat(usage.status()).isEqualTo(401);
    assertThat(usage.errorClass()).isEqualTo("UNAUTHENTICATED");
    assertThat(usage.caller()).isEqualTo(UsageEvent.Caller.anonymous());
  }

  @Test
  void shouldAnswerARouteToAPlainBackendInTheOpenAiShape() throws Exception {
    // Given
    serve(Mode.Strict, List.of(key(stack.cipher, "alice", "sk-alice", "payments")));

    // When a wrong key is sent to a plain HTTP route
    HttpResponse<String> response = stack.post("/mcp", "{}", "Authorization", "Bearer sk-wrong");

    // Then
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(Json.mapper().readTree(response.body()).get("error").get("type").asText())
        .isEqualTo("authentication_error");
    assertThat(response.body()).contains("the API key is not valid").doesNotContain("sk-wrong");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      Authorization  | Bearer sk-alice
      x-api-key      | sk-alice
      x-goog-api-key | sk-alice
      """)
  void shouldAcceptAValidKeyFromAnyOfTheThreeHeadersAndRecordTheCallerNeverTheKey(String header, String value)
      throws Exception {
    // Given
    serve(Mode.Strict, List.of(key(stack.cipher, "alice", "sk-alice", "payments")));

    // When the key is sent in this header
    HttpResponse<String> response = stack.post("/ai/openai/v1/chat/completions", CHAT, header, value,
        "x-request-id", "with-key");

    // Then the request goes through with the provider's key only
    assertThat(response.statusCode()).isEqualTo(200);
    FakeProvider.Received upstream = provider.last();
    assertThat(upstream.headers().values().stream().flatMap(List::stream)).noneMatch(v -> v.contains("sk-alice"));
    // and the usage event names the caller by the key's id and metadata
    UsageEvent usage = stack.usageOf("with-key");
    assertThat(usage.caller()).isEqualTo(new UsageEvent.Caller("default/team-keys/alice", "alice", "payments",
        "alice@example.com", new TreeMap<>(Map.of("env", "prod"))));
    assertThat(Json.toBytes(usage)).asString().doesNotContain("sk-alice");
  }

  @Test
  void shouldAcceptAGeminiKeyFromTheKeyQueryParameterAndLeaveItOutOfTheUpstreamCallAndTheAccessLog()
      throws Exception {
    // Given routes behind keys, and the access log watched
    serve(Mode.Strict, List.of(key(stack.cipher, "alice", "sk-alice", "payments")));
    ListAppender<ILoggingEvent> accessLog = watch("tollway.access");
    try {
      // When a Gemini-style client sends its key as ?key= (with another parameter beside it)
      HttpResponse<String> response = stack.post("/ai/openai/v1/chat/completions?alt=sse&key=sk-alice", CHAT,
          "x-request-id", "query-key");

      // Then it is the caller's key, and the provider never sees it
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(stack.usageOf("query-key").caller().apiKeyId()).isEqualTo("default/team-keys/alice");
      FakeProvider.Received upstream = provider.last();
      assertThat(upstream.path()).doesNotContain("sk-alice");
      assertThat(upstream.headers().values().stream().flatMap(List::stream)).noneMatch(v -> v.contains("sk-alice"));
      // and the access log has the path without the query, never the key
      await().atMost(Duration.ofSeconds(5)).until(() -> !accessLog.list.isEmpty());
      assertThat(accessLog.list).allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain("sk-alice"));
      assertThat(Json.mapper().readTree(accessLog.list.get(0).getFormattedMessage()).get("path").asText())
          .isEqualTo("/ai/openai/v1/chat/completions");
    } finally {
      unwatch("tollway.access", accessLog);
    }
  }

  @Test
  void shouldTakeTheGatewayKeyOutOfThePlainBackendsQueryAndKeepTheRest() throws Exception {
    // Given
    serve(Mode.Strict, List.of(key(stack.cipher, "alice", "sk-alice", "payments")));
    provider.answer(FakeProvider.json(200, "{}"));

    // When the gateway key comes as ?key= to a plain HTTP route
    HttpResponse<String> response = stack.post("/mcp/tools?page=2&key=sk-alice", "{}");
    HttpResponse<String> wrong = stack.post("/mcp/tools?key=sk-wrong", "{}");

    // Then the backend gets the other parameters only; a wrong key is refused without being echoed
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(provider.last().path()).isEqualTo("/tools?page=2");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("the API key is not valid").doesNotContain("sk-wrong");
  }

  @Test
  void shouldNotForwardTheGatewayKeyToAPlainBackend() throws Exception {
    // Given
    serve(Mode.Strict, List.of(key(stack.cipher, "alice", "sk-alice", "payments")));
    provider.answer(FakeProvider.json(200, "{}"));

    // When
    HttpResponse<String> response = stack.post("/mcp", "{}", "x-api-key", "sk-alice", "x-custom", "kept");

    // Then the backend gets the request without the key that was consumed by the gateway
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(provider.last().header("x-api-key")).isNull();
    assertThat(provider.last().header("x-custom")).isEqualTo("kept");
  }

  @Test
  void shouldTakeTheGatewayKeyFromXApiKeyWhileAuthorizationCarriesAnotherTokenAndForwardNeither() throws Exception {
    // Given a plain backend behind keys
    serve(Mode.Strict, List.of(key(stack.cipher, "alice", "sk-alice", "payments")));
    provider.answer(FakeProvider.json(200, "{}"));

    // When the client sends a token of its own in Authorization and the gateway key beside it
    HttpResponse<String> response = stack.post("/mcp", "{}", "Authorization", "Bearer github-token",
        "x-api-key", "sk-alice");

    // Then the gateway key is used, and no client credential reaches the backend (issue 6: the client's
    // Authorization is never forwarded; a backend's own token comes from the route's RequestHeaderModifier)
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(provider.last().header("authorization")).isNull();
    assertThat(provider.last().header("x-api-key")).isNull();
  }

  @Test
  void shouldLetAnonymousCallersThroughInOptionalModeButRefuseAnUnknownKey() throws Exception {
    // Given a route where a key is optional
    serve(Mode.Optional, List.of(key(stack.cipher, "alice", "sk-alice", "payments")));

    // When
    HttpResponse<String> anonymous = stack.post("/ai/openai/v1/chat/completions", CHAT, "x-request-id", "anon");
    HttpResponse<String> known = stack.post("/ai/openai/v1/chat/completions", CHAT, "Authorization", "Bearer sk-alice",
        "x-request-id", "known");
    HttpResponse<String> unknown = stack.post("/ai/openai/v1/chat/completions", CHAT, "Authorization", "Bearer sk-who");

    // Then
    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(stack.usageOf("anon").caller().apiKeyId()).isNull();
    assertThat(known.statusCode()).isEqualTo(200);
    assertThat(stack.usageOf("known").caller().apiKeyId()).isEqualTo("default/team-keys/alice");
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(unknown.body()).contains("the API key is not valid");
  }

  @Test
  void shouldRefuseARotatedOrDeletedKeyFromTheNextSnapshotOn() throws Exception {
    // Given alice and bob
    serve(Mode.Strict, List.of(key(stack.cipher, "alice", "sk-alice-1", "payments"),
        key(stack.cipher, "bob", "sk-bob", "search")));
    assertThat(stack.post("/ai/openai/v1/chat/completions", CHAT, "x-api-key", "sk-alice-1").statusCode()).isEqualTo(200);
    assertThat(stack.post("/ai/openai/v1/chat/completions", CHAT, "x-api-key", "sk-bob").statusCode()).isEqualTo(200);

    // When alice's key is rotated and bob's deleted
    stack.publish(snapshot(Mode.Strict, List.of(key(stack.cipher, "alice", "sk-alice-2", "payments"))));

    // Then the old key and bob's are refused, the new key works under the same id
    await().atMost(Duration.ofSeconds(10)).until(() ->
        stack.post("/ai/openai/v1/chat/completions", CHAT, "x-api-key", "sk-alice-1").statusCode() == 401);
    assertThat(stack.post("/ai/openai/v1/chat/completions", CHAT, "x-api-key", "sk-bob").statusCode()).isEqualTo(401);
    assertThat(stack.post("/ai/openai/v1/chat/completions", CHAT, "x-api-key", "sk-alice-2", "x-request-id", "rotated")
        .statusCode()).isEqualTo(200);
    assertThat(stack.usageOf("rotated").caller().apiKeyId()).isEqualTo("default/team-keys/alice");
  }

  @Test
  void shouldCountRejectionsByReasonAndLogTheKeyId() throws Exception {
    // Given
    serve(Mode.Strict, List.of(key(stack.cipher, "alice", "sk-alice", "payments")));

    // When one request is refused and one admitted
    stack.post("/ai/openai/v1/chat/completions", CHAT);
    stack.post("/ai/openai/v1/chat/completions", CHAT, "x-api-key", "sk-alice", "x-request-id", "logged");

    // Then the refusal is counted by reason and route
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stack.admin("/metrics").body())
        .contains("tollway_rejections_total{reason=\"UNAUTHENTICATED\",route=\"default/llm#0\"} 1.0"));
    // and the access-log line carries the key's id, name and team, never the key
    String line = dev.tollway.edge.usage.AccessLog.line(stack.usageOf("logged"), "POST", "/ai/openai/v1/chat/completions");
    assertThat(Json.mapper().readTree(line).get("keyId").asText()).isEqualTo("default/team-keys/alice");
    assertThat(Json.mapper().readTree(line).get("team").asText()).isEqualTo("payments");
    assertThat(line).doesNotContain("sk-alice");
  }

  @Test
  void shouldAnswerInTheRealOpenAiAndAnthropicShapesWithTheRealCodecs() throws Exception {
    // Given a proxy with the real provider protocols
    stack.close();
    stack = TestStack.start(stateDir.resolve("real"), Clock.fixed(NOW, ZoneOffset.UTC), Map.of(),
        SnapshotCipher.generate(), null, true, ProviderProtocols.system());
    serve(Mode.Strict, List.of());

    // When
    HttpResponse<String> openai = stack.post("/ai/openai/v1/chat/completions", CHAT);
    HttpResponse<String> anthropic = stack.post("/ai/claude/v1/messages", CHAT);

    // Then
    assertThat(openai.statusCode()).isEqualTo(401);
    JsonNode openAiError = Json.mapper().readTree(openai.body()).get("error");
    assertThat(openAiError.get("type").asText()).isEqualTo("authentication_error");
    assertThat(openAiError.get("code").asText()).isEqualTo("unauthenticated");
    assertThat(anthropic.statusCode()).isEqualTo(401);
    JsonNode anthropicError = Json.mapper().readTree(anthropic.body());
    assertThat(anthropicError.get("type").asText()).isEqualTo("error");
    assertThat(anthropicError.get("error").get("type").asText()).isEqualTo("authentication_error");
  }

  private static ListAppender<ILoggingEvent> watch(String loggerName) {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(loggerName)).addAppender(appender);
    return appender;
  }

  private static void unwatch(String loggerName, ListAppender<ILoggingEvent> appender) {
    ((Logger) LoggerFactory.getLogger(loggerName)).detachAppender(appender);
    appender.stop();
  }
}
