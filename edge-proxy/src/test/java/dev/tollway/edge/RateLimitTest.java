package dev.tollway.edge;

import static dev.tollway.edge.ApiKeyAuthenticationTest.key;
import static dev.tollway.edge.ApiKeyAuthenticationTest.withPolicy;
import static dev.tollway.edge.testing.TestCodec.event;
import static dev.tollway.edge.testing.TestSnapshots.GATEWAY;
import static dev.tollway.edge.testing.TestSnapshots.aiBackend;
import static dev.tollway.edge.testing.TestSnapshots.http80;
import static dev.tollway.edge.testing.TestSnapshots.prefixRoute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.testing.FakeProvider;
import dev.tollway.edge.testing.MutableClock;
import dev.tollway.edge.testing.TestCodec;
import dev.tollway.edge.testing.TestStack;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.ApiKeySet;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.Provider.ProviderType;
import dev.tollway.schemas.snapshot.RoutePolicy;
import dev.tollway.schemas.snapshot.RoutePolicy.ApiKeyAuth;
import dev.tollway.schemas.snapshot.RoutePolicy.ApiKeyAuth.Mode;
import dev.tollway.schemas.snapshot.RoutePolicy.RateLimit;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local rate limits at the proxy: headers, 429 with Retry-After, per-caller buckets, token debits. */
class RateLimitTest {

  private static final Instant NOW = Instant.parse("2026-11-26T17:00:00Z");
  private static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"What is Kubernetes?\"}]}";
  private static final String STREAM_CHAT =
      "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"What is Kubernetes?\"}]}";
  private static final String PATH = "/ai/openai/v1/chat/completions";

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

  private void serve(List<RateLimit> limits, Mode mode) {
    RoutePolicy policy = new RoutePolicy(new ApiKeyAuth(mode, List.of("default/team-keys")), limits, null);
    GatewaySnapshot snapshot = GatewaySnapshot.of(GATEWAY, "agentgateway", List.of(http80()),
        List.of(withPolicy(prefixRoute("default/llm", 0, "/ai/openai", "default/openai"), policy)),
        Map.of("default/team-keys", new ApiKeySet(List.of(key(stack.cipher, "alice", "sk-alice", "payments"),
            key(stack.cipher, "bob", "sk-bob", "search")))),
        Map.of("default/openai", aiBackend(stack.cipher, "default/openai", ProviderType.openai, provider.port(), "gpt-4o")));
    stack.publish(snapshot);
    stack.awaitReady();
  }

  private static RateLimit requests(long limit, RateLimit.Unit unit, long burst) {
    return new RateLimit("default/limits#0", RateLimit.Kind.requests, limit, unit, burst);
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElseThrow(() -> new AssertionError("no " + name));
  }

  @Test
  void shouldCountDownTheHeadersThenRefuseWith429AndRetryAfterUntilTheNextRefill() throws Exception {
    // Given 2 requests a minute with a burst of 1, per key
    serve(List.of(requests(2, RateLimit.Unit.Minutes, 1)), Mode.Strict);

    // When alice sends four requests in the same instant
    HttpResponse<String> first = stack.post(PATH, CHAT, "x-api-key", "sk-alice");
    HttpResponse<String> second = stack.post(PATH, CHAT, "x-api-key", "sk-alice");
    HttpResponse<String> third = stack.post(PATH, CHAT, "x-api-key", "sk-alice");
    HttpResponse<String> fourth = stack.post(PATH, CHAT, "x-api-key", "sk-alice", "x-request-id", "limited");

    // Then three pass, counting down, and the fourth is refused in the caller's shape
    assertThat(List.of(first, second, third)).extracting(HttpResponse::statusCode).containsOnly(200);
    assertThat(List.of(first, second, third)).extracting(r -> header(r, "x-ratelimit-remaining"))
        .containsExactly("2", "1", "0");
    assertThat(header(first, "x-ratelimit-limit")).isEqualTo("3");
    assertThat(header(first, "x-ratelimit-reset")).isEqualTo("60");
    assertThat(fourth.statusCode()).isEqualTo(429);
    assertThat(header(fourth, "retry-after")).isEqualTo("60");
    assertThat(header(fourth, "x-ratelimit-remaining")).isEqualTo("0");
    JsonNode error = Json.mapper().readTree(fourth.body()).get("error");
    assertThat(error.get("format").asText()).isEqualTo("oa");
    assertThat(error.get("code").asText()).isEqualTo("RATE_LIMITED");
    assertThat(error.get("message").asText()).isEqualTo(
        "rate limit of 2 requests per minute (burst 1) reached; retry in 60 s");
    assertThat(provider.received()).hasSize(3);
    assertThat(stack.usageOf("limited").errorClass()).isEqualTo("RATE_LIMITED");

    // When the minute has passed
    clock.advance(Duration.ofSeconds(45));
    assertThat(header(stack.post(PATH, CHAT, "x-api-key", "sk-alice"), "retry-after")).isEqualTo("15");
    clock.advance(Duration.ofSeconds(15));

    // Then the bucket has the minute's 2 requests again
    HttpResponse<String> refilled = stack.post(PATH, CHAT, "x-api-key", "sk-alice");
    assertThat(refilled.statusCode()).isEqualTo(200);
    assertThat(header(refilled, "x-ratelimit-remaining")).isEqualTo("1");
  }

  @Test
  void shouldLimitEachKeyAndEachAnonymousAddressSeparately() throws Exception {
    // Given one request a minute, keys optional
    serve(List.of(requests(1, RateLimit.Unit.Minutes, 0)), Mode.Optional);

    // When alice uses hers up
    assertThat(stack.post(PATH, CHAT, "x-api-key", "sk-alice").statusCode()).isEqualTo(200);
    assertThat(stack.post(PATH, CHAT, "x-api-key", "sk-alice").statusCode()).isEqualTo(429);

    // Then bob and an anonymous caller still have theirs
    assertThat(stack.post(PATH, CHAT, "x-api-key", "sk-bob").statusCode()).isEqualTo(200);
    assertThat(stack.post(PATH, CHAT).statusCode()).isEqualTo(200);
    assertThat(stack.post(PATH, CHAT).statusCode()).isEqualTo(429);
  }

  @Test
  void shouldReportTheMostConstrainedLimitAndGiveBackWhatARefusedRequestTook() throws Exception {
    // Given 3 a minute and 2 a second
    serve(List.of(requests(3, RateLimit.Unit.Minutes, 0),
        new RateLimit("default/limits#1", RateLimit.Kind.requests, 2, RateLimit.Unit.Seconds, 0)), Mode.Strict);

    // When alice sends three requests in the same second
    HttpResponse<String> first = stack.post(PATH, CHAT, "x-api-key", "sk-alice");
    stack.post(PATH, CHAT, "x-api-key", "sk-alice");
    HttpResponse<String> refused = stack.post(PATH, CHAT, "x-api-key", "sk-alice");

    // Then the headers describe the per-second limit, the tighter one, which refuses the third
    assertThat(header(first, "x-ratelimit-limit")).isEqualTo("2");
    assertThat(header(first, "x-ratelimit-remaining")).isEqualTo("1");
    assertThat(header(first, "x-ratelimit-reset")).isEqualTo("1");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(header(refused, "retry-after")).isEqualTo("1");

    // When a second later: the refused request gave back what it took from the per-minute limit
    clock.advance(Duration.ofSeconds(1));
    HttpResponse<String> next = stack.post(PATH, CHAT, "x-api-key", "sk-alice");

    // Then it is admitted, and now the per-minute limit is the tighter one
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(header(next, "x-ratelimit-limit")).isEqualTo("3");
    assertThat(header(next, "x-ratelimit-remaining")).isEqualTo("0");
    assertThat(header(next, "x-ratelimit-reset")).isEqualTo("59");
    HttpResponse<String> overMinute = stack.post(PATH, CHAT, "x-api-key", "sk-alice");
    assertThat(overMinute.statusCode()).isEqualTo(429);
    assertThat(header(overMinute, "retry-after")).isEqualTo("59");
  }

  @Test
  void shouldDebitATokensLimitWithTheInputAndOutputOfAStreamedAnswerOnceItIsComplete() throws Exception {
    // Given 100 tokens a minute
    serve(List.of(new RateLimit("default/tokens#0", RateLimit.Kind.tokens, 100, RateLimit.Unit.Minutes, 0)),
        Mode.Strict);
    provider.answer(FakeProvider.sse(List.of(
        event("{\"type\":\"start\",\"id\":\"s1\",\"model\":\"gpt-4o\"}"),
        event("{\"type\":\"text\",\"text\":\"Kubernetes\"}"),
        event("{\"type\":\"usage\",\"input\":30,\"output\":50}"),
        TestCodec.DONE), null, false));

    // When alice streams an answer of 30 + 50 tokens
    HttpResponse<String> first = stack.post(PATH, STREAM_CHAT, "x-api-key", "sk-alice", "x-request-id", "s-1");

    // Then the tokens are debited when the stream is complete: 20 left for the next request
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(header(first, "x-ratelimit-remaining")).isEqualTo("100");
    assertThat(stack.usageOf("s-1").tokens().totalTokens()).isEqualTo(80);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
        header(stack.post(PATH, STREAM_CHAT, "x-api-key", "sk-alice", "x-request-id", "s-2"), "x-ratelimit-remaining"))
        .isEqualTo("20"));

    // When that second stream (another 80) has completed too, the bucket is empty: the next request is refused
    stack.usageOf("s-2");
    await().atMost(Duration.ofSeconds(5)).until(() -> stack.post(PATH, CHAT, "x-api-key", "sk-alice").statusCode() == 429);
    // and bob, on his own bucket, is not
    assertThat(stack.post(PATH, STREAM_CHAT, "x-api-key", "sk-bob").statusCode()).isEqualTo(200);
  }

  @Test
  void shouldForgetTheBucketsOfAKeyThatWasDeleted() throws Exception {
    // Given alice and bob with buckets
    serve(List.of(requests(5, RateLimit.Unit.Hours, 0)), Mode.Strict);
    stack.post(PATH, CHAT, "x-api-key", "sk-alice");
    stack.post(PATH, CHAT, "x-api-key", "sk-bob");
    assertThat(stack.admin("/metrics").body()).contains("tollway_ratelimit_buckets 2.0");

    // When bob's key is deleted
    RoutePolicy policy = new RoutePolicy(new ApiKeyAuth(Mode.Strict, List.of("default/team-keys")),
        List.of(requests(5, RateLimit.Unit.Hours, 0)), null);
    stack.publish(GatewaySnapshot.of(GATEWAY, "agentgateway", List.of(http80()),
        List.of(withPolicy(prefixRoute("default/llm", 0, "/ai/openai", "default/openai"), policy)),
        Map.of("default/team-keys", new ApiKeySet(List.of(key(stack.cipher, "alice", "sk-alice", "payments")))),
        Map.of("default/openai", aiBackend(stack.cipher, "default/openai", ProviderType.openai, provider.port(), "gpt-4o"))));

    // Then only alice's bucket is kept, with what she used
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(stack.admin("/metrics").body()).contains("tollway_ratelimit_buckets 1.0"));
    assertThat(header(stack.post(PATH, CHAT, "x-api-key", "sk-alice"), "x-ratelimit-remaining")).isEqualTo("3");
  }
}
