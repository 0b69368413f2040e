package dev.tollway.edge;

import static dev.tollway.edge.testing.TestCodec.event;
import static dev.tollway.edge.testing.TestSnapshots.GATEWAY;
import static dev.tollway.edge.testing.TestSnapshots.PROVIDER_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.edge.testing.FakeProvider;
import dev.tollway.edge.testing.MutableClock;
import dev.tollway.edge.testing.TestStack;
import dev.tollway.schemas.snapshot.AiBackend;
import dev.tollway.schemas.snapshot.Backend;
import dev.tollway.schemas.snapshot.BackendRef;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.HealthPolicy;
import dev.tollway.schemas.snapshot.Listener;
import dev.tollway.schemas.snapshot.Provider;
import dev.tollway.schemas.snapshot.RouteEntry;
import dev.tollway.schemas.snapshot.RouteMatch;
import dev.tollway.schemas.snapshot.RoutePolicy;
import dev.tollway.schemas.snapshot.RouteTimeouts;
import dev.tollway.schemas.usage.UsageEvent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failover across priority groups, eviction, retries, timeouts and hostile bodies, against local fakes. */
class ResilienceTest {

  private static final String CHAT = "{\"messages\":[{\"role\":\"user\",\"content\":\"What is Kubernetes?\"}]}";
  private static final String STREAM_CHAT =
      "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"What is Kubernetes?\"}]}";
  private static final String ANSWER =
      "{\"format\":\"oa\",\"id\":\"r1\",\"model\":\"m\",\"text\":\"hello\",\"usage\":{\"input\":3,\"output\":2}}";

  @TempDir Path stateDir;
  /** Slow upstreams wait on this instead of sleeping; the end of each test lets them go. */
  private final CountDownLatch upstreamsHeld = new CountDownLatch(1);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T17:00:00Z"));
  private FakeProvider primary;
  private FakeProvider secondary;
  private TestStack stack;

  @BeforeEach
  void setUp() {
    primary = new FakeProvider();
    secondary = new FakeProvider();
    primary.answer(FakeProvider.json(200, ANSWER.replace("hello", "from primary")));
    secondary.answer(FakeProvider.json(200, ANSWER.replace("hello", "from secondary")));
    stack = TestStack.start(stateDir, clock, Map.of());
  }

  @AfterEach
  void tearDown() {
    upstreamsHeld.countDown();
    stack.close();
    primary.close();
    secondary.close();
  }

  private Provider provider(String name, int port) {
    return new Provider(name, Provider.ProviderType.openai, "m", "127.0.0.1", port, null, null, false, new TreeMap<>(),
        Provider.ProviderAuth.key(stack.cipher.seal(GATEWAY, PROVIDER_KEY)));
  }

  /** Two groups (primary, then secondary), with a health policy, a retry policy and timeouts. */
  private void serve(HealthPolicy health, RoutePolicy.Retry retry, RouteTimeouts timeouts) {
    Backend backend = Backend.ai("default/failover", new AiBackend(
        List.of(new AiBackend.ProviderGroup(List.of(provider("primary", primary.port()))),
            new AiBackend.ProviderGroup(List.of(provider("secondary", secondary.port())))),
        AiBackend.AiPolicy.none(), health, null));
    RouteEntry route = new RouteEntry("default/llm", 0, List.of("http"), List.of(), RouteMatch.any(), List.of(),
        List.of(BackendRef.resolved("default/failover", 1)), timeouts, new RoutePolicy(null, List.of(), retry));
    stack.publish(GatewaySnapshot.of(GATEWAY, "agentgateway", List.of(new Listener("http", "HTTP", 80, null, null)),
        List.of(route), Map.of("default/failover", backend)));
    stack.awaitReady();
  }

  private List<UsageEvent> eventsOf(String requestId, int count) {
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(
        () -> stack.usageEvents().stream().filter(e -> e.requestId().equals(requestId)).count() >= count);
    return stack.usageEvents().stream().filter(e -> e.requestId().equals(requestId))
        .sorted(Comparator.comparingInt(UsageEvent::attempt)).toList();
  }

  @Test
  void shouldRetryOnTheNextGroupWhenThePrimaryFailsAndMeterEachAttempt() throws Exception {
    // Given a primary that answers 503, and a route retrying 503 twice
    serve(new HealthPolicy(null, 10_000, 1), new RoutePolicy.Retry(List.of(503), 2, null), null);
    primary.answer(FakeProvider.json(503, "{\"error\":{\"message\":\"overloaded\"}}"));

    // When a client asks
    HttpResponse<String> response = stack.post("/v1/chat/completions", CHAT, "x-request-id", "fo-1");

    // Then the retry failed over to the secondary group and the client got its answer
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("from secondary");
    assertThat(primary.received()).hasSize(1);
    assertThat(secondary.received()).hasSize(1);
    assertThat(secondary.last().header("x-retry-attempt")).isEqualTo("1");
    // and there is one event per attempt, the last one final
    List<UsageEvent> events = eventsOf("fo-1", 2);
    assertThat(events).extracting(UsageEvent::attempt).containsExactly(1, 2);
    assertThat(events).extracting(UsageEvent::finalAttempt).containsExactly(false, true);
    assertThat(events).extracting(UsageEvent::status).containsExactly(503, 200);
    assertThat(events).extracting(UsageEvent::endpoint)
        .containsExactly("127.0.0.1:" + primary.port(), "127.0.0.1:" + secondary.port());
    assertThat(events.get(1).tokens().inputTokens()).isEqualTo(3);
    assertThat(events.get(0).tokens().inputTokens()).isZero();
  }

  @Test
  void shouldStopAtTheAttemptBudgetAndAnswerTheLastError() throws Exception {
    // Given both groups failing, and two attempts allowed
    serve(new HealthPolicy(null, 10_000, 1), new RoutePolicy.Retry(List.of(503), 2, 10L), null);
    primary.answer(FakeProvider.json(503, "{\"error\":{\"message\":\"down\"}}"));
    secondary.answer(FakeProvider.json(503, "{\"error\":{\"message\":\"down too\"}}"));

    // When
    HttpResponse<String> response = stack.post("/v1/chat/completions", CHAT, "x-request-id", "fo-2");

    // Then exactly two attempts were made, and the client got the last one's error
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("down too");
    assertThat(primary.received().size() + secondary.received().size()).isEqualTo(2);
    assertThat(eventsOf("fo-2", 2)).extracting(UsageEvent::finalAttempt).containsExactly(false, true);
  }

  @Test
  void shouldEvictAFailingPrimaryWithoutRetriesAndBringItBackAfterTheEviction() throws Exception {
    // Given no retry policy: a failing request fails, but evicts its provider
    serve(new HealthPolicy("response.code >= 500", 5_000, 1), null, null);
    primary.answer(FakeProvider.json(500, "{\"error\":{\"message\":\"boom\"}}"));

    // When three requests come, the primary recovers, and the eviction ends
    int first = stack.post("/v1/chat/completions", CHAT).statusCode();
    HttpResponse<String> second = stack.post("/v1/chat/completions", CHAT);
    primary.answer(FakeProvider.json(200, ANSWER.replace("hello", "from primary")));
    HttpResponse<String> third = stack.post("/v1/chat/completions", CHAT);
    clock.advance(Duration.ofSeconds(6));
    HttpResponse<String> fourth = stack.post("/v1/chat/completions", CHAT);

    // Then the failure went to the client, the next requests failed over, and the primary is back afterwards
    assertThat(first).isEqualTo(500);
    assertThat(second.body()).contains("from secondary");
    assertThat(third.body()).contains("from secondary");
    assertThat(fourth.body()).contains("from primary");
    assertThat(stack.admin("/metrics").body()).contains("tollway_provider_evictions_total");
  }

  @Test
  void shouldEvictForAsLongAsA429sRetryAfterSays() throws Exception {
    // Given a primary rate-limiting with Retry-After: 60 and an eviction of 1s otherwise
    serve(new HealthPolicy(null, 1_000, 5), null, null);
    primary.answer(FakeProvider.json(429, "{\"error\":{\"message\":\"slow down\"}}", Map.of("Retry-After", "60")));

    // When
    assertThat(stack.post("/v1/chat/completions", CHAT).statusCode()).isEqualTo(429);
    clock.advance(Duration.ofSeconds(30));
    String during = stack.post("/v1/chat/completions", CHAT).body();
    primary.answer(FakeProvider.json(200, ANSWER.replace("hello", "from primary")));
    clock.advance(Duration.ofSeconds(31));
    String after = stack.post("/v1/chat/completions", CHAT).body();

    // Then one 429 evicted it (not five failures), for the 60 seconds it asked
    assertThat(during).contains("from secondary");
    assertThat(after).contains("from primary");
  }

  @Test
  void shouldRetryAConnectionFailureEvenWhenItsCodeIsNotListed() throws Exception {
    // Given a primary that resets the connection
    serve(new HealthPolicy(null, 10_000, 1), new RoutePolicy.Retry(List.of(), 2, null), null);
    primary.answer(exchange -> exchange.getConnection().close());

    // When
    HttpResponse<String> response = stack.post("/v1/chat/completions", CHAT, "x-request-id", "fo-3");

    // Then
    assertThat(response.body()).contains("from secondary");
    List<UsageEvent> events = eventsOf("fo-3", 2);
    assertThat(events.get(0).status()).isZero();
    assertThat(events.get(0).errorClass()).isEqualTo("UPSTREAM_ERROR");
  }

  @Test
  void shouldNeverRetryOnceTheFirstByteReachedTheClient() throws Exception {
    // Given a streaming primary that breaks off after its first event, and a generous retry policy
    serve(new HealthPolicy(null, 10_000, 1), new RoutePolicy.Retry(List.of(502, 503), 3, null), null);
    primary.answer(FakeProvider.sse(List.of(event("{\"type\":\"text\",\"text\":\"Kube\"}")), null, true));

    // When a client streams
    HttpResponse<String> response = stack.post("/v1/chat/completions", STREAM_CHAT, "x-request-id", "cut-1");

    // Then the stream ends with an error event, never a clean end, and nothing was retried
    assertThat(response.body()).contains("Kube").contains("UPSTREAM_STREAM_INTERRUPTED").doesNotContain("[DONE]");
    assertThat(secondary.received()).isEmpty();
    UsageEvent event = eventsOf("cut-1", 1).get(0);
    assertThat(event.finalAttempt()).isTrue();
    assertThat(event.tokens().streamCompleted()).isFalse();
  }

  @Test
  void shouldEndTheRequestAtTheRoutesRequestTimeoutWhateverTheAttemptsDo() throws Exception {
    // Given providers that take 5 s, a route timeout of 600 ms, and retries allowed
    serve(new HealthPolicy(null, 10_000, 1), new RoutePolicy.Retry(List.of(503), 3, null), new RouteTimeouts(600L, 400L));
    FakeProvider.Behaviour slow = exchange -> {
      upstreamsHeld.await(5, TimeUnit.SECONDS); // released when the test ends
      FakeProvider.json(200, ANSWER).respond(exchange);
    };
    primary.answer(slow);
    secondary.answer(slow);

    // When
    long started = System.nanoTime();
    HttpResponse<String> response = stack.post("/v1/chat/completions", CHAT, "x-request-id", "to-1");
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    // Then the client got a 504 in its shape, within the request timeout (plus scheduling)
    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(response.body()).contains("UPSTREAM_TIMEOUT");
    assertThat(took).isLessThan(Duration.ofMillis(1_500));
    List<UsageEvent> events = eventsOf("to-1", 2);
    assertThat(events.get(events.size() - 1).finalAttempt()).isTrue();
    assertThat(events.get(events.size() - 1).status()).isEqualTo(504);
  }

  @Test
  void shouldAnswerHostileBodiesWith400InTheClientsShape() throws Exception {
    serve(new HealthPolicy(null, 10_000, 1), null, null);
    String deep = "{\"messages\":" + "[".repeat(200) + "]".repeat(200) + "}";

    HttpResponse<String> duplicate = stack.post("/v1/chat/completions",
        "{\"model\":\"a\",\"model\":\"b\",\"messages\":[]}");
    HttpResponse<String> nested = stack.post("/v1/chat/completions", deep);
    HttpResponse<String> huge = stack.post("/v1/chat/completions", "{\"max_tokens\":" + "9".repeat(500) + "}");

    assertThat(duplicate.statusCode()).isEqualTo(400);
    assertThat(duplicate.body()).contains("\"format\":\"oa\"").contains("a field appears twice");
    assertThat(nested.statusCode()).isEqualTo(400);
    assertThat(nested.body()).contains("nested deeper than 64 levels");
    assertThat(huge.statusCode()).isEqualTo(400);
    assertThat(huge.body()).contains("a number longer than 100 digits");
    assertThat(primary.received()).isEmpty();
  }

  @Test
  void shouldEndAStreamStillRunningAtTheDrainDeadlineWithAnErrorEventAndKeepItsUsage() throws Exception {
    // Given a proxy draining for at most 1 s, and a stream that the provider holds open after its first event
    stack.close();
    stack = TestStack.start(stateDir, clock, Map.of("TOLLWAY_DRAIN_TIMEOUT", "1s"));
    serve(new HealthPolicy(null, 10_000, 1), null, null);
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    primary.answer(FakeProvider.sse(List.of(event("{\"type\":\"text\",\"text\":\"Kubernetes is\"}"),
        event("{\"type\":\"text\",\"text\":\" more\"}")), never, false));
    var inFlight = stack.http.sendAsync(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + stack.port() + "/v1/chat/completions"))
        .header("x-request-id", "drain-cut").POST(java.net.http.HttpRequest.BodyPublishers.ofString(STREAM_CHAT)).build(),
        HttpResponse.BodyHandlers.ofString());
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> primary.received().size() == 1);

    // When the proxy stops and the stream outlives the drain deadline
    stack.proxy.close();
    never.countDown();

    // Then the client's stream ends with an error event in its format, never a clean end, and its usage is kept
    String body = inFlight.get(10, java.util.concurrent.TimeUnit.SECONDS).body();
    assertThat(body).contains("Kubernetes is").contains("\"type\":\"error\"").contains("UNAVAILABLE").doesNotContain("[DONE]");
    UsageEvent event = stack.usageEvents().stream().filter(e -> e.requestId().equals("drain-cut")).findFirst().orElseThrow();
    assertThat(event.tokens().streamCompleted()).isFalse();
    assertThat(event.errorClass()).isEqualTo("UNAVAILABLE");
  }
}
