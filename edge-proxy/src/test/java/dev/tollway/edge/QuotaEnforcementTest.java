package dev.tollway.edge;

import static dev.tollway.edge.ApiKeyAuthenticationTest.key;
import static dev.tollway.edge.ApiKeyAuthenticationTest.withPolicy;
import static dev.tollway.edge.testing.TestSnapshots.GATEWAY;
import static dev.tollway.edge.testing.TestSnapshots.aiBackend;
import static dev.tollway.edge.testing.TestSnapshots.http80;
import static dev.tollway.edge.testing.TestSnapshots.prefixRoute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.provider.ProviderProtocols;
import dev.tollway.edge.testing.FakeProvider;
import dev.tollway.edge.testing.MutableClock;
import dev.tollway.edge.testing.TestStack;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.schemas.quota.QuotaDecision.SubjectType;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.AiBackend;
import dev.tollway.schemas.snapshot.ApiKeySet;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.Provider.ProviderType;
import dev.tollway.schemas.snapshot.RoutePolicy;
import dev.tollway.schemas.snapshot.RoutePolicy.ApiKeyAuth;
import dev.tollway.schemas.snapshot.RoutePolicy.ApiKeyAuth.Mode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Budgets at the proxy: quota decisions from the topic refuse an API key, a team or a route until lifted. */
class QuotaEnforcementTest {

  private static final Instant NOW = Instant.parse("2026-11-26T17:00:00Z");
  private static final Instant END_OF_DAY = Instant.parse("2026-11-27T00:00:00Z");
  private static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"What is Kubernetes?\"}]}";
  private static final String PATH = "/ai/openai/v1/chat/completions";
  private static final String ALICE = "default/team-keys/alice";

  @TempDir Path stateDir;
  private final MutableClock clock = new MutableClock(NOW);
  private FakeProvider provider;
  private TestStack stack;

  @BeforeEach
  void setUp() {
    provider = new FakeProvider();
    provider.answer(FakeProvider.json(200, "{\"text\":\"ok\",\"usage\":{\"input\":3,\"output\":2}}"));
    stack = TestStack.start(stateDir, clock, Map.of());
  }

  @AfterEach
  void tearDown() {
    stack.close();
    provider.close();
  }

  /** /ai/openai (keys optional) and /ai/claude (Anthropic client API), alice of payments, bob of search. */
  private void serve() {
    RoutePolicy policy = new RoutePolicy(new ApiKeyAuth(Mode.Optional, List.of("default/team-keys")), List.of(), null);
    AiBackend.AiPolicy messages = new AiBackend.AiPolicy(new TreeMap<>(Map.of("/v1/messages", "Messages")), new TreeMap<>());
    stack.publish(GatewaySnapshot.of(GATEWAY, "agentgateway", List.of(http80()),
        List.of(withPolicy(prefixRoute("default/llm", 0, "/ai/openai", "default/openai"), policy),
            withPolicy(prefixRoute("default/claude", 0, "/ai/claude", "default/claude"), policy)),
        Map.of("default/team-keys", new ApiKeySet(List.of(key(stack.cipher, "alice", "sk-alice", "payments"),
            key(stack.cipher, "bob", "sk-bob", "search")))),
        Map.of("default/openai", aiBackend(stack.cipher, "default/openai", ProviderType.openai, provider.port(), "gpt-4o"),
            "default/claude", aiBackend(stack.cipher, "default/claude", ProviderType.openai, provider.port(), "gpt-4o",
                messages))));
    stack.awaitReady();
  }

  static QuotaDecision decision(SubjectType type, String subject, Instant blockedUntil) {
    return new QuotaDecision(QuotaDecision.SCHEMA_VERSION, type, subject, "default/daily", QuotaDecision.Window.day,
        Instant.parse("2026-11-26T00:00:00Z"), END_OF_DAY, 50_000_125_000L, 50_000_000_000L,
        QuotaDecision.Unit.nanoUsd, blockedUntil, NOW);
  }

  private void publish(QuotaDecision decision) {
    stack.publishQuota(decision.key(), decision);
  }

  private int status(String... headers) throws Exception {
    return stack.post(PATH, CHAT, headers).statusCode();
  }

  @Test
  void shouldRefuseABlockedKeyWith429UntilItsDecisionIsTombstoned() throws Exception {
    // Given
    serve();
    assertThat(status("x-api-key", "sk-alice")).isEqualTo(200);

    // When usage-streams blocks alice's key for the rest of the day
    publish(decision(SubjectType.apiKey, ALICE, END_OF_DAY));

    // Then alice is refused with 429 QUOTA_EXCEEDED and Retry-After until the end of the day; bob is not
    await().atMost(Duration.ofSeconds(2)).until(() -> status("x-api-key", "sk-alice") == 429);
    HttpResponse<String> refused = stack.post(PATH, CHAT, "x-api-key", "sk-alice", "x-request-id", "over");
    assertThat(refused.headers().firstValue("retry-after")).hasValue(String.valueOf(7 * 3600));
    JsonNode error = Json.mapper().readTree(refused.body()).get("error");
    assertThat(error.get("code").asText()).isEqualTo("QUOTA_EXCEEDED");
    assertThat(error.get("message").asText()).isEqualTo("API key default/team-keys/alice is over budget "
        + "default/daily: $50.000125 of $50 this day, until 2026-11-27T00:00:00Z");
    assertThat(stack.usageOf("over").errorClass()).isEqualTo("QUOTA_EXCEEDED");
    assertThat(status("x-api-key", "sk-bob")).isEqualTo(200);
    assertThat(status()).isEqualTo(200);

    // When the decision is lifted (the budget was raised)
    stack.publishQuota(decision(SubjectType.apiKey, ALICE, END_OF_DAY).key(), null);

    // Then alice is admitted again
    await().atMost(Duration.ofSeconds(2)).until(() -> status("x-api-key", "sk-alice") == 200);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stack.admin("/metrics").body())
        .contains("tollway_rejections_total{reason=\"QUOTA_EXCEEDED\",route=\"default/llm#0\"}"));
  }

  @Test
  void shouldRefuseEveryKeyOfABlockedTeamAndEveryoneOnABlockedRoute() throws Exception {
    // Given
    serve();

    // When the team "payments" is blocked
    publish(decision(SubjectType.team, "payments", END_OF_DAY));

    // Then alice (payments) is refused, bob (search) and anonymous callers are not
    await().atMost(Duration.ofSeconds(2)).until(() -> status("x-api-key", "sk-alice") == 429);
    assertThat(status("x-api-key", "sk-bob")).isEqualTo(200);
    assertThat(status()).isEqualTo(200);

    // When the route default/llm is blocked for everyone
    publish(decision(SubjectType.route, "default/llm", END_OF_DAY));

    // Then every caller of that route is refused, and the other route still serves
    await().atMost(Duration.ofSeconds(2)).until(() -> status() == 429);
    assertThat(status("x-api-key", "sk-bob")).isEqualTo(429);
    assertThat(stack.post("/ai/claude/v1/messages", CHAT, "x-api-key", "sk-bob").statusCode()).isEqualTo(200);
  }

  @Test
  void shouldAdmitAgainWhenTheBlockExpiresEvenBeforeTheTombstoneArrives() throws Exception {
    // Given a block until 17:30
    serve();
    publish(decision(SubjectType.apiKey, ALICE, NOW.plus(Duration.ofMinutes(30))));
    await().atMost(Duration.ofSeconds(2)).until(() -> status("x-api-key", "sk-alice") == 429);

    // When the window rolls over
    clock.advance(Duration.ofMinutes(30));

    // Then
    assertThat(status("x-api-key", "sk-alice")).isEqualTo(200);
  }

  @Test
  void shouldAnswerInTheCallersShapeWithInsufficientQuotaForOpenAi() throws Exception {
    // Given a proxy with the real provider protocols and alice blocked
    stack.close();
    stack = TestStack.start(stateDir.resolve("real"), clock, Map.of(), SnapshotCipher.generate(), null, true,
        ProviderProtocols.system());
    serve();
    publish(decision(SubjectType.apiKey, ALICE, END_OF_DAY));
    await().atMost(Duration.ofSeconds(2)).until(() -> status("x-api-key", "sk-alice") == 429);

    // When
    HttpResponse<String> openai = stack.post(PATH, CHAT, "Authorization", "Bearer sk-alice");
    HttpResponse<String> anthropic = stack.post("/ai/claude/v1/messages", CHAT, "x-api-key", "sk-alice");

    // Then OpenAI's SDKs see insufficient_quota, Anthropic's a rate_limit_error
    JsonNode openAiError = Json.mapper().readTree(openai.body()).get("error");
    assertThat(openAiError.get("code").asText()).isEqualTo("insufficient_quota");
    assertThat(openAiError.get("type").asText()).isEqualTo("insufficient_quota");
    assertThat(anthropic.statusCode()).isEqualTo(429);
    assertThat(Json.mapper().readTree(anthropic.body()).get("error").get("type").asText()).isEqualTo("rate_limit_error");
  }

  @Test
  void shouldSkipAMalformedDecisionAndKeepTheOthers() throws Exception {
    // Given alice blocked
    serve();
    publish(decision(SubjectType.apiKey, ALICE, END_OF_DAY));
    await().atMost(Duration.ofSeconds(2)).until(() -> status("x-api-key", "sk-alice") == 429);

    // When garbage and a record under the wrong key arrive
    stack.publishQuotaRaw("apiKey:x|default/daily", "{not json".getBytes(StandardCharsets.UTF_8));
    stack.publishQuota("team:search|default/daily", decision(SubjectType.apiKey, ALICE, END_OF_DAY));

    // Then both are counted as rejected, and nothing else changed
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(stack.admin("/metrics").body())
        .contains("tollway_quota_records_total{outcome=\"rejected\"} 2.0"));
    assertThat(status("x-api-key", "sk-alice")).isEqualTo(429);
    assertThat(status("x-api-key", "sk-bob")).isEqualTo(200);
  }

  @Test
  void shouldKeepRefusingABlockedKeyAfterARestartWhileKafkaIsDown() throws Exception {
    // Given alice blocked on a proxy with a state directory
    serve();
    publish(decision(SubjectType.apiKey, ALICE, END_OF_DAY));
    await().atMost(Duration.ofSeconds(2)).until(() -> status("x-api-key", "sk-alice") == 429);

    // When the proxy restarts and Kafka is unreachable
    SnapshotCipher cipher = stack.cipher;
    stack.close();
    stack = TestStack.start(stateDir, clock, Map.of(), cipher, null, false);
    stack.awaitReady();

    // Then the decision kept on disk still refuses alice
    assertThat(status("x-api-key", "sk-alice")).isEqualTo(429);
    assertThat(status("x-api-key", "sk-bob")).isEqualTo(200);
  }

  @Test
  void shouldDropAKeptDecisionThatTheTopicNoLongerHoldsOnceCaughtUp() throws Exception {
    // Given alice blocked and the decision kept on disk
    serve();
    publish(decision(SubjectType.apiKey, ALICE, END_OF_DAY));
    await().atMost(Duration.ofSeconds(2)).until(() -> status("x-api-key", "sk-alice") == 429);

    // When the proxy restarts against a topic whose tombstone for alice was compacted away (an empty topic)
    SnapshotCipher cipher = stack.cipher;
    stack.close();
    stack = TestStack.start(stateDir, clock, Map.of(), cipher, null, true);
    serve();

    // Then, once the topic is read, alice is admitted
    await().atMost(Duration.ofSeconds(5)).until(stack.proxy::quotasCaughtUp);
    assertThat(status("x-api-key", "sk-alice")).isEqualTo(200);
  }
}
