package dev.tollway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.tollway.e2e.support.TollwayStack.json;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.e2e.support.KafkaFixture;
import dev.tollway.e2e.support.TollwayStack;
import dev.tollway.edge.EdgeProxy;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole metering loop on TWO edge-proxy replicas: a request through one replica is metered, priced by
 * usage-streams from a {@code ModelPrice} override, crosses the key's dollar {@code Budget}, and the quota
 * decision usage-streams publishes makes both replicas refuse the key; raising the budget admits it again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BudgetEnforcementIT {

  private static final Logger LOG = LoggerFactory.getLogger(BudgetEnforcementIT.class);
  private static final String BODY = "{\"messages\": [{\"role\": \"user\", \"content\": \"What is Kubernetes?\"}]}";
  private static final String PATH = "/ai/gemini/v1/chat/completions";
  private static final Duration CONFIG = Duration.ofSeconds(30);
  /** From the crossing request's answer to the refusal on both replicas. */
  private static final Duration ENFORCED = Duration.ofSeconds(2);

  private static final String ROUTE_KEYS_AND_PRICE = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: metered, namespace: default}
      spec:
        parentRefs: [{name: agentgateway, namespace: default}]
        rules:
        - matches: [{path: {type: PathPrefix, value: /ai/gemini}}]
          filters:
          - type: URLRewrite
            urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}
          backendRefs: [{name: gemini, namespace: default, group: agentgateway.dev, kind: AgentgatewayBackend}]
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: team-keys, namespace: default}
      stringData:
        alice: '{"key": "sk-alice", "metadata": {"team": "payments"}}'
        carol: sk-carol
      ---
      apiVersion: tollway.dev/v1alpha1
      kind: ModelPrice
      metadata: {name: gemini-flash-expensive, namespace: default}
      spec:
        provider: gcp.gemini
        model: gemini-2.5-flash
        input: "1000"
        output: "1000"
      """;

  private static String budget(String usd) {
    return """
        apiVersion: tollway.dev/v1alpha1
        kind: Budget
        metadata: {name: alice-daily, namespace: default}
        spec:
          subject: {apiKey: team-keys/alice}
          window: Day
          limit: {usd: "%s"}
        """.formatted(usd);
  }

  @RegisterExtension
  static final KafkaFixture KAFKA = new KafkaFixture();

  private TollwayStack tollway;
  private EdgeProxy replica;

  @BeforeAll
  void start() {
    tollway = TollwayStack.start(KAFKA);
    replica = tollway.startReplica();
    tollway.apply("tutorial/01-gateway.yaml");
    tollway.apply("tutorial/gemini-secret.yaml");
    tollway.apply("tutorial/llm/gemini/02-backend-gemini.yaml");
    tollway.apply("keys/team-keys-policy.yaml");
    tollway.applyYaml("metered.yaml", ROUTE_KEYS_AND_PRICE);
    tollway.applyYaml("budget.yaml", budget("0.001"));
  }

  @AfterAll
  void stop() {
    if (tollway != null) {
      tollway.close();
    }
  }

  @Test
  @Order(1)
  void aRequestThatCrossesTheBudgetShouldGetTheKeyRefusedByBothReplicas() {
    // Given both replicas serve the route (carol has no budget), and usage-streams knows the budget
    for (String base : tollway.proxyUrls()) {
      await().atMost(CONFIG).pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(post(base, "sk-carol").statusCode()).isEqualTo(200));
    }
    await().atMost(CONFIG).until(tollway.stack().usageStreams()::isReady);

    // When alice sends one request through the second replica: at $1,000 per million tokens it costs more
    // than her $0.001 a day
    HttpResponse<String> crossing = post(TollwayStack.urlOf(replica), "sk-alice");
    assertThat(crossing.statusCode()).as(crossing.body()).isEqualTo(200);
    long answered = System.nanoTime();

    // Then both replicas refuse her, in OpenAI's insufficient_quota shape
    for (String base : tollway.proxyUrls()) {
      await().atMost(ENFORCED).pollInterval(Duration.ofMillis(20))
          .untilAsserted(() -> assertThat(post(base, "sk-alice").statusCode()).isEqualTo(429));
    }
    LOG.info("budget enforced by both replicas {} ms after the crossing request was answered",
        Duration.ofNanos(System.nanoTime() - answered).toMillis());
    HttpResponse<String> refused = post(tollway.gatewayUrl(), "sk-alice");
    assertThat(json(refused.body()).at("/error/code").asText()).isEqualTo("insufficient_quota");
    // and carol is still served
    assertThat(post(tollway.gatewayUrl(), "sk-carol").statusCode()).isEqualTo(200);

    // And usage-streams shows the block and what alice spent
    JsonNode quota = json(tollway.get(tollway.usageUrl() + "/v1/quotas").body()).at("/quotas/0");
    assertThat(quota.get("subject").asText()).isEqualTo("default/team-keys/alice");
    assertThat(quota.get("budget").asText()).isEqualTo("default/alice-daily");
    assertThat(quota.get("limitUsd").asText()).isEqualTo("0.001000000");
    JsonNode spend = json(tollway.get(tollway.usageUrl() + "/v1/spend?groupBy=key").body());
    JsonNode alice = null;
    for (JsonNode row : spend.get("rows")) {
      if (row.get("apiKeyId").asText().equals("default/team-keys/alice")) {
        alice = row;
      }
    }
    assertThat(alice).as(spend.toString()).isNotNull();
    // (requests admitted while the decision was on its way were served and charged: the overshoot)
    assertThat(alice.get("requests").asLong()).isPositive();
    assertThat(new BigDecimal(alice.get("costUsd").asText())).isGreaterThan(new BigDecimal("0.001"));
    assertThat(alice.get("unpricedRequests").asLong()).isZero();
  }

  @Test
  @Order(2)
  void raisingTheBudgetShouldAdmitTheKeyAgainOnBothReplicas() {
    // When the budget is raised to $1,000 a day
    tollway.applyYaml("budget.yaml", budget("1000"));

    // Then both replicas admit alice again
    for (String base : tollway.proxyUrls()) {
      await().atMost(CONFIG).pollInterval(Duration.ofMillis(100))
          .untilAsserted(() -> assertThat(post(base, "sk-alice").statusCode()).isEqualTo(200));
    }
    assertThat(json(tollway.get(tollway.usageUrl() + "/v1/quotas").body()).get("quotas")).isEmpty();
  }

  private static HttpResponse<String> post(String base, String key) {
    return TollwayStack.postJson(base + PATH, BODY, "x-api-key", key);
  }
}
