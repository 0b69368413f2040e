package dev.tollway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.tollway.e2e.support.TollwayStack.json;
import static org.awaitility.Awaitility.await;

import dev.tollway.e2e.support.KafkaFixture;
import dev.tollway.e2e.support.TollwayStack;
import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.schemas.quota.QuotaDecision.SubjectType;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.topic.Topics;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
 * Client API keys, local rate limits and quota decisions through the whole pipeline, on TWO edge-proxy
 * replicas serving the same Gateway: an {@code AgentgatewayPolicy} and a Secret of keys applied to the folder
 * config-service watches, snapshots over Kafka to both replicas, quota decisions published on
 * {@code tollway.quota.v1} as usage-streams would, and a fake Gemini answering.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeysLimitsAndQuotasIT {

  private static final Logger LOG = LoggerFactory.getLogger(KeysLimitsAndQuotasIT.class);
  private static final String BODY = "{\"messages\": [{\"role\": \"user\", \"content\": \"What is Kubernetes?\"}]}";
  private static final String PATH = "/ai/gemini/v1/chat/completions";
  private static final String LIMITED = "/ai/limited/v1/chat/completions";
  private static final Duration CONFIG = Duration.ofSeconds(30);

  private static final String ROUTE_AND_POLICY = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: metered, namespace: default}
      spec:
        parentRefs: [{name: agentgateway, namespace: default}]
        rules:
        - name: gemini
          matches: [{path: {type: PathPrefix, value: /ai/gemini}}]
          filters:
          - type: URLRewrite
            urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}
          backendRefs: [{name: gemini, namespace: default, group: agentgateway.dev, kind: AgentgatewayBackend}]
        - name: limited
          matches: [{path: {type: PathPrefix, value: /ai/limited}}]
          filters:
          - type: URLRewrite
            urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}
          backendRefs: [{name: gemini, namespace: default, group: agentgateway.dev, kind: AgentgatewayBackend}]
      ---
      apiVersion: agentgateway.dev/v1alpha1
      kind: AgentgatewayPolicy
      metadata: {name: three-a-minute, namespace: default}
      spec:
        targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: metered, sectionName: limited}]
        traffic:
          rateLimit:
            local:
            - requests: 3
              unit: Minutes
      """;

  private static String keys(String aliceKey, boolean withBob) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: team-keys, namespace: default}
        stringData:
          alice: '{"key": "%s", "metadata": {"team": "payments", "user": "alice@example.com"}}'
          carol: sk-carol
        %s""".formatted(aliceKey, withBob ? "  bob: sk-bob\n" : "");
  }

  @RegisterExtension
  static final KafkaFixture KAFKA = new KafkaFixture();

  private TollwayStack tollway;
  private Producer<String, byte[]> quotas;

  @BeforeAll
  void startTwoReplicas() {
    tollway = TollwayStack.start(KAFKA);
    tollway.startReplica();
    Map<String, Object> props = new HashMap<>(KAFKA.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    quotas = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    tollway.apply("tutorial/01-gateway.yaml");
    tollway.apply("tutorial/gemini-secret.yaml");
    tollway.apply("tutorial/llm/gemini/02-backend-gemini.yaml");
    tollway.applyYaml("team-keys.yaml", keys("sk-alice-1", true));
    tollway.apply("keys/team-keys-policy.yaml");
    tollway.applyYaml("metered.yaml", ROUTE_AND_POLICY);
  }

  @AfterAll
  void stop() {
    if (quotas != null) {
      quotas.close();
    }
    if (tollway != null) {
      tollway.close();
    }
  }

  private static HttpResponse<String> post(String base, String... headers) {
    return postTo(base, PATH, headers);
  }

  private static HttpResponse<String> postTo(String base, String path, String... headers) {
    return TollwayStack.postJson(base + path, BODY, headers);
  }

  private void awaitOnBothReplicas(Duration within, int status, String... headers) {
    for (String base : tollway.proxyUrls()) {
      await().atMost(within).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
        HttpResponse<String> response = post(base, headers);
        assertThat(response.statusCode()).as(base + ": " + response.body()).isEqualTo(status);
      });
    }
  }

  @Test
  @Order(1)
  void bothReplicasShouldRequireAKeyAndAcceptTheSecretsKeys() {
    // Given the route, its policy and the Secret of keys are applied (before all)

    // Then, once both replicas have the snapshot, a request without a key is refused by either
    awaitOnBothReplicas(CONFIG, 401);
    for (String base : tollway.proxyUrls()) {
      HttpResponse<String> refused = post(base);
      assertThat(json(refused.body()).at("/error/type").asText()).isEqualTo("authentication_error");
      // and the keys of the Secret are accepted
      HttpResponse<String> alice = post(base, "Authorization", "Bearer sk-alice-1");
      assertThat(alice.statusCode()).as(alice.body()).isEqualTo(200);
      assertThat(json(alice.body()).at("/choices/0/message/content").asText()).contains("fake gemini");
      assertThat(post(base, "x-api-key", "sk-carol").statusCode()).isEqualTo(200);
    }
    // and the provider never saw a client key
    assertThat(tollway.fake().requests()).allSatisfy(r -> assertThat(r.headers().toString())
        .doesNotContain("sk-alice-1").doesNotContain("sk-carol"));
  }

  @Test
  @Order(2)
  void eachReplicaShouldCountDownItsRateLimitHeadersAndThenRefuseWith429() {
    // Given the rule "limited" allows 3 requests a minute per key, limited per replica (the keys come from the
    // route's policy, the limit from the rule's)
    for (String base : tollway.proxyUrls()) {
      // When bob sends four requests to this replica
      List<HttpResponse<String>> responses = List.of(postTo(base, LIMITED, "x-api-key", "sk-bob"),
          postTo(base, LIMITED, "x-api-key", "sk-bob"), postTo(base, LIMITED, "x-api-key", "sk-bob"),
          postTo(base, LIMITED, "x-api-key", "sk-bob"));

      // Then three are admitted, counting down, and the fourth is refused with Retry-After
      assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 429);
      assertThat(responses).extracting(r -> r.headers().firstValue("x-ratelimit-remaining").orElse(""))
          .containsExactly("2", "1", "0", "0");
      assertThat(responses.get(0).headers().firstValue("x-ratelimit-limit")).hasValue("3");
      HttpResponse<String> limited = responses.get(3);
      long retryAfter = Long.parseLong(limited.headers().firstValue("retry-after").orElseThrow());
      assertThat(retryAfter).isBetween(1L, 60L);
      assertThat(json(limited.body()).at("/error/type").asText()).isEqualTo("rate_limit_error");
      // and the rule without the limit carries no rate-limit headers
      assertThat(post(base, "x-api-key", "sk-bob").headers().firstValue("x-ratelimit-limit")).isEmpty();
    }
  }

  @Test
  @Order(3)
  void aRotatedKeyShouldBeRefusedAndItsSuccessorAcceptedAndADeletedKeyRefusedOnBothReplicas() {
    // When alice's key is rotated and bob's entry is deleted from the Secret
    tollway.applyYaml("team-keys.yaml", keys("sk-alice-2", false));

    // Then both replicas refuse the old key and bob's, and accept the new one
    awaitOnBothReplicas(CONFIG, 401, "Authorization", "Bearer sk-alice-1");
    awaitOnBothReplicas(CONFIG, 401, "x-api-key", "sk-bob");
    awaitOnBothReplicas(CONFIG, 200, "Authorization", "Bearer sk-alice-2");
  }

  @Test
  @Order(4)
  void aBlockedKeyShouldBeRefusedByBothReplicasWithinTwoSecondsAndAdmittedAfterTheTombstone() throws Exception {
    // Given alice is admitted by both replicas
    awaitOnBothReplicas(CONFIG, 200, "x-api-key", "sk-alice-2");
    Instant now = Instant.now();
    Instant endOfDay = now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
    QuotaDecision decision = new QuotaDecision(QuotaDecision.SCHEMA_VERSION, SubjectType.apiKey,
        "default/team-keys/alice", "default/daily-dollars", QuotaDecision.Window.day,
        now.truncatedTo(ChronoUnit.DAYS), endOfDay, 5_000_100_000L, 5_000_000_000L, QuotaDecision.Unit.nanoUsd,
        endOfDay, now);

    // When usage-streams' decision is published
    long published = System.nanoTime();
    quotas.send(new ProducerRecord<>(Topics.QUOTA.name(), decision.key(), Json.toBytes(decision))).get();

    // Then both replicas refuse alice within 2 seconds, in OpenAI's insufficient_quota shape
    awaitOnBothReplicas(Duration.ofSeconds(2), 429, "x-api-key", "sk-alice-2");
    LOG.info("quota decision enforced by both replicas {} ms after it was published",
        Duration.ofNanos(System.nanoTime() - published).toMillis());
    for (String base : tollway.proxyUrls()) {
      HttpResponse<String> refused = post(base, "x-api-key", "sk-alice-2");
      assertThat(json(refused.body()).at("/error/code").asText()).isEqualTo("insufficient_quota");
      assertThat(refused.headers().firstValue("retry-after")).isPresent();
      // and carol is still served
      assertThat(post(base, "x-api-key", "sk-carol").statusCode()).isEqualTo(200);
    }

    // When the decision is lifted (the budget raised or the window rolled over)
    quotas.send(new ProducerRecord<>(Topics.QUOTA.name(), decision.key(), null)).get();

    // Then both replicas admit alice again
    awaitOnBothReplicas(Duration.ofSeconds(2), 200, "x-api-key", "sk-alice-2");
  }
}
