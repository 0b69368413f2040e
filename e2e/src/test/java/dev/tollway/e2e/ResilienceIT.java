package dev.tollway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollway.e2e.support.FaultStack;
import dev.tollway.local.fake.FakeBehaviour;
import dev.tollway.local.fake.FakeProviderServer;
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
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults on the real pipeline: fake providers failing on demand (errors, 429 with Retry-After, resets, stalls,
 * streams cut after N events) behind priority groups, retries and timeouts; and a broker stopped for 30 s under
 * steady load, with and without a proxy restart while it is down — every request answered, every request counted
 * once by usage-streams.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResilienceIT {

  private static final Logger LOG = LoggerFactory.getLogger(ResilienceIT.class);
  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"What is Kubernetes?\"}]}";
  private static final String STREAM =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"What is Kubernetes?\"}]}";

  private FaultStack stack;
  private FakeProviderServer primary;
  private FakeProviderServer secondary;
  private String backendName;

  @BeforeAll
  void start() {
    stack = new FaultStack();
    primary = FakeProviderServer.start();
    secondary = FakeProviderServer.start();
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
    primary.close();
    secondary.close();
  }

  @BeforeEach
  void fresh(TestInfo test) {
    primary.resetBehaviours();
    secondary.resetBehaviours();
    primary.clearRequests();
    secondary.clearRequests();
    // a backend of its own per test: provider health starts clean
    backendName = "default/" + test.getTestMethod().orElseThrow().getName().toLowerCase().substring(0, 20);
  }

  private Provider provider(String gateway, String name, Provider.ProviderType type, FakeProviderServer fake, String model) {
    return new Provider(name, type, model, "127.0.0.1", fake.port(), null, null, false, new TreeMap<>(),
        Provider.ProviderAuth.key(stack.cipher().seal(gateway, "sk-test-" + name)));
  }

  /** A Gateway on one declared port: a catch-all route to a backend of the given provider groups. */
  private void serve(String gateway, int port, List<List<Provider>> groups, RoutePolicy.@Nullable Retry retry,
      @Nullable RouteTimeouts timeouts) {
    Backend backend = Backend.ai(backendName, new AiBackend(
        groups.stream().map(AiBackend.ProviderGroup::new).toList(), AiBackend.AiPolicy.none(),
        new HealthPolicy(null, 10_000, 1), null));
    RouteEntry route = new RouteEntry(gateway + "-route", 0, List.of("http"), List.of(), RouteMatch.any(), List.of(),
        List.of(BackendRef.resolved(backendName, 1)), timeouts, new RoutePolicy(null, List.of(), retry));
    stack.publish(GatewaySnapshot.of(gateway, "agentgateway", List.of(new Listener("http", "HTTP", port, null, null)),
        List.of(route), Map.of(backendName, backend)), port);
  }

  private void serveTwoGroups(RoutePolicy.@Nullable Retry retry, @Nullable RouteTimeouts timeouts) {
    serve("faults/gw", 80, List.of(
        List.of(provider("faults/gw", "primary", Provider.ProviderType.openai, primary, "gpt-4o-mini")),
        List.of(provider("faults/gw", "secondary", Provider.ProviderType.anthropic, secondary, "claude-sonnet-4"))),
        retry, timeouts);
  }

  @Test
  void shouldFailOverToTheNextGroupWhenThePrimaryAnswers503() {
    // Given a primary answering 503 and a route retrying 503
    serveTwoGroups(new RoutePolicy.Retry(List.of(503), 3, 50L), null);
    primary.setDefaultBehaviour(FakeBehaviour.failWith(503));

    // When two requests come
    HttpResponse<String> first = stack.post(80, "/v1/chat/completions", CHAT);
    HttpResponse<String> second = stack.post(80, "/v1/chat/completions", CHAT);

    // Then the first was retried on the secondary group, and the second went there directly (primary evicted)
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).contains("fake anthropic answering claude-sonnet-4").contains("chat.completion");
    assertThat(second.body()).contains("fake anthropic");
    assertThat(primary.requests()).hasSize(1);
    assertThat(secondary.requests()).hasSize(2);
  }

  @Test
  void shouldStopRetryingAtTheAttemptBudget() {
    // Given both groups failing and three attempts allowed
    serveTwoGroups(new RoutePolicy.Retry(List.of(503), 3, 20L), null);
    primary.setDefaultBehaviour(FakeBehaviour.failWith(503));
    secondary.setDefaultBehaviour(FakeBehaviour.failWith(503));

    // When
    HttpResponse<String> response = stack.post(80, "/v1/chat/completions", CHAT);

    // Then exactly three attempts were made, and the client got an error in the OpenAI shape
    assertThat(primary.requests().size() + secondary.requests().size()).isEqualTo(3);
    assertThat(response.statusCode()).isGreaterThanOrEqualTo(500);
    assertThat(response.body()).contains("\"error\"");
  }

  @Test
  void shouldEvictFor429RetryAfterAndRetryElsewhere() {
    // Given a primary that rate-limits once with Retry-After: 30
    serveTwoGroups(new RoutePolicy.Retry(List.of(429), 2, null), null);
    primary.enqueue(FakeBehaviour.failWith(429).withRetryAfter(30));

    // When two requests come
    HttpResponse<String> first = stack.post(80, "/v1/chat/completions", CHAT);
    HttpResponse<String> second = stack.post(80, "/v1/chat/completions", CHAT);

    // Then both were answered by the secondary: the primary stays evicted for the 30 s it asked
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.body()).contains("fake anthropic");
    assertThat(primary.requests()).hasSize(1);
  }

  @Test
  void shouldRetryAConnectionResetOnTheNextGroup() {
    serveTwoGroups(new RoutePolicy.Retry(List.of(), 2, null), null);
    primary.enqueue(FakeBehaviour.resetConnection());

    HttpResponse<String> response = stack.post(80, "/v1/chat/completions", CHAT);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("fake anthropic");
  }

  @Test
  void shouldNotLetAStalledRequestOutliveItsTimeout() {
    // Given providers that stall 20 s before answering, a 1 s attempt timeout and a 2.5 s request timeout
    serveTwoGroups(new RoutePolicy.Retry(List.of(503), 5, null), new RouteTimeouts(2_500L, 1_000L));
    primary.setDefaultBehaviour(FakeBehaviour.NORMAL.withFirstByteDelay(Duration.ofSeconds(20)));
    secondary.setDefaultBehaviour(FakeBehaviour.NORMAL.withFirstByteDelay(Duration.ofSeconds(20)));

    // When
    long started = System.nanoTime();
    HttpResponse<String> response = stack.post(80, "/v1/chat/completions", CHAT);
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    // Then the client got a 504 in its shape well before the providers would have answered
    LOG.info("stalled request answered {} after {} ms", response.statusCode(), took.toMillis());
    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(response.body()).contains("upstream_timeout");
    assertThat(took).isLessThan(Duration.ofMillis(4_000));
  }

  @Test
  void shouldEndAStreamCutMidAnswerWithAnErrorEventAndNoRetry() {
    // Given a primary that closes the connection after 3 events of a stream, and retries allowed
    serveTwoGroups(new RoutePolicy.Retry(List.of(502, 503), 3, null), null);
    primary.setDefaultBehaviour(FakeBehaviour.NORMAL.withCutStreamAfter(3));

    // When a client streams
    HttpResponse<String> response = stack.post(80, "/v1/chat/completions", STREAM);

    // Then what was streamed arrived, followed by an error event and never a clean [DONE]; nothing was retried
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("chat.completion.chunk").contains("\"error\"")
        .contains("upstream_stream_interrupted").doesNotContain("[DONE]");
    assertThat(secondary.requests()).isEmpty();
  }

  @Test
  void shouldAnswerAndCountEveryRequestThroughA30SecondBrokerOutage() throws Exception {
    // Given a Gateway of its own and a steady load of about 5 requests a second
    serve("outage/gw", 81, List.of(List.of(provider("outage/gw", "only", Provider.ProviderType.openai, primary, "gpt-4o-mini"))),
        null, null);
    Load load = Load.start(stack, 81);
    await().atMost(Duration.ofSeconds(30)).until(() -> load.sent() >= 20);

    // When the broker is stopped for 30 s under that load, then started again
    stack.stopBroker();
    int beforeOutage = load.sent();
    await().pollDelay(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(60)).until(() -> load.sent() > beforeOutage + 50);
    int duringOutage = load.sent() - beforeOutage;
    stack.startBroker();
    int afterRestart = load.sent();
    await().atMost(Duration.ofSeconds(60)).until(() -> load.sent() >= afterRestart + 20);
    load.stop();

    // Then every request was answered, and usage-streams counts exactly as many requests as were sent
    LOG.info("broker outage: sent={} answered={} (during the outage: {})", load.sent(), load.answered(), duringOutage);
    assertThat(load.failures()).isEmpty();
    assertThat(load.answered()).isEqualTo(load.sent());
    await().atMost(Duration.ofSeconds(120)).until(() -> stack.requestsCounted("outage/gw") == load.sent());
    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
        .until(() -> stack.requestsCounted("outage/gw") == load.sent());
    LOG.info("broker outage: metered={}", stack.requestsCounted("outage/gw"));
  }

  @Test
  void shouldKeepUsageOfAProxyRestartedWhileTheBrokerIsDown() {
    // Given a Gateway of its own, served and metered
    serve("restart/gw", 82, List.of(List.of(provider("restart/gw", "only", Provider.ProviderType.openai, primary, "gpt-4o-mini"))),
        null, null);
    int sent = 0;
    int answered = 0;
    for (int i = 0; i < 10; i++, sent++) {
      answered += stack.post(82, "/v1/chat/completions", CHAT).statusCode() == 200 ? 1 : 0;
    }

    // When the broker stops, requests come, the proxy restarts (from its state folder), more requests come, and
    // only then the broker comes back
    stack.stopBroker();
    for (int i = 0; i < 10; i++, sent++) {
      answered += stack.post(82, "/v1/chat/completions", CHAT).statusCode() == 200 ? 1 : 0;
    }
    stack.restartProxy();
    for (int i = 0; i < 10; i++, sent++) {
      answered += stack.post(82, "/v1/chat/completions", CHAT).statusCode() == 200 ? 1 : 0;
    }
    stack.startBroker();

    // Then every request was answered and counted exactly once
    assertThat(answered).isEqualTo(sent);
    int expected = sent;
    await().atMost(Duration.ofSeconds(120)).until(() -> stack.requestsCounted("restart/gw") == expected);
    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
        .until(() -> stack.requestsCounted("restart/gw") == expected);
    LOG.info("proxy restart during outage: sent={} answered={} metered={}", sent, answered,
        stack.requestsCounted("restart/gw"));
  }

  /** Requests one after another, one every 200 ms (about five a second), from a scheduler thread of its own. */
  private static final class Load {
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    private final java.util.concurrent.ScheduledExecutorService scheduler =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "resilience-load"));

    private Load(FaultStack stack, int port) {
      // at a fixed rate: a request that takes longer than the period delays the next one, never overlaps it
      scheduler.scheduleAtFixedRate(() -> {
        sent.incrementAndGet();
        try {
          HttpResponse<String> response = stack.post(port, "/v1/chat/completions", CHAT);
          if (response.statusCode() == 200) {
            answered.incrementAndGet();
          } else {
            failures.add(response.statusCode() + " " + response.body());
          }
        } catch (RuntimeException e) {
          failures.add(e.toString());
        }
      }, 0, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    static Load start(FaultStack stack, int port) {
      return new Load(stack, port);
    }

    int sent() {
      return sent.get();
    }

    int answered() {
      return answered.get();
    }

    List<String> failures() {
      return List.copyOf(failures);
    }

    void stop() throws InterruptedException {
      scheduler.shutdown();
      scheduler.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
