package dev.tollway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollway.e2e.support.KafkaFixture;
import dev.tollway.e2e.support.TollwayStack;
import dev.tollway.local.fake.FakeBehaviour;
import dev.tollway.local.fake.RecordedRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failover configured the Kubernetes way, through config-service: an {@code AgentgatewayBackend} with two
 * priority groups and {@code spec.policies.health}, and an {@code AgentgatewayPolicy} retrying 503 on the route.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailoverPolicyIT {

  private static final String BODY = "{\"messages\": [{\"role\": \"user\", \"content\": \"What is Kubernetes?\"}]}";

  @RegisterExtension
  static final KafkaFixture KAFKA = new KafkaFixture();

  private TollwayStack tollway;

  @BeforeAll
  void start() {
    tollway = TollwayStack.start(KAFKA);
  }

  @AfterAll
  void stop() {
    if (tollway != null) {
      tollway.close();
    }
  }

  @Test
  void shouldRetryOnTheNextGroupAsTheManifestsSay() {
    // Given the manifests: two groups, a health policy, a request timeout, and a retry policy on the route
    tollway.applyYaml("failover.yaml", """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: agentgateway, namespace: default}
        spec:
          gatewayClassName: agentgateway
          listeners: [{protocol: HTTP, port: 80, name: http, allowedRoutes: {namespaces: {from: All}}}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: llm-secret, namespace: default}
        type: Opaque
        stringData: {Authorization: sk-test-failover}
        ---
        apiVersion: agentgateway.dev/v1alpha1
        kind: AgentgatewayBackend
        metadata: {name: llm, namespace: default}
        spec:
          ai:
            groups:
            - providers:
              - name: primary
                host: 127.0.0.1
                port: '${FAKE_PROVIDER_PORT}'
                openai: {model: gpt-4o-mini}
            - providers:
              - name: fallback
                host: 127.0.0.1
                port: '${FAKE_PROVIDER_PORT}'
                anthropic: {model: claude-sonnet-4}
          policies:
            auth: {secretRef: {name: llm-secret}}
            health:
              unhealthyCondition: response.code >= 500 || response.code == 429
              eviction: {duration: 30s, consecutiveFailures: 1}
            http: {requestTimeout: 10s}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: llm-route, namespace: default}
        spec:
          parentRefs: [{name: agentgateway, namespace: default}]
          rules: [{backendRefs: [{name: llm, namespace: default, group: agentgateway.dev, kind: AgentgatewayBackend}]}]
        ---
        apiVersion: agentgateway.dev/v1alpha1
        kind: AgentgatewayPolicy
        metadata: {name: retries, namespace: default}
        spec:
          targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: llm-route}]
          traffic:
            retry: {codes: [503], attempts: 2}
            timeouts: {request: 30s}
        """);
    await().atMost(Duration.ofSeconds(60)).until(() -> tollway.post("/v1/chat/completions", BODY).statusCode() == 200);
    tollway.fake().clearRequests();

    // When the primary answers 503 once
    tollway.fake().enqueue(FakeBehaviour.failWith(503));
    HttpResponse<String> failedOver = tollway.post("/v1/chat/completions", BODY);
    HttpResponse<String> next = tollway.post("/v1/chat/completions", BODY);

    // Then the retry went to the fallback group, and so does the next request while the primary is evicted
    assertThat(failedOver.statusCode()).isEqualTo(200);
    assertThat(failedOver.body()).contains("fake anthropic answering claude-sonnet-4");
    assertThat(next.body()).contains("fake anthropic");
    List<String> paths = tollway.fake().requests().stream().map(RecordedRequest::path).toList();
    assertThat(paths).containsExactly("/v1/chat/completions", "/v1/messages", "/v1/messages");
  }
}
