package dev.tollway.config.snapshot;

import static dev.tollway.config.snapshot.Fixtures.BACKEND_OPENAI;
import static dev.tollway.config.snapshot.Fixtures.compile;
import static dev.tollway.config.snapshot.Fixtures.condition;
import static dev.tollway.config.snapshot.PolicyAttachmentTest.GATEWAY;
import static dev.tollway.config.snapshot.PolicyAttachmentTest.ROUTE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.config.status.Condition;
import dev.tollway.config.status.ConditionStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What an AgentgatewayPolicy may not say, and the message naming the field. */
class TrafficPolicyRefusalTest {

  private static final String ROUTE_REF = "{group: gateway.networking.k8s.io, kind: HTTPRoute, name: llm}";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      {targetRefs: [ROUTE], backend: {ai: {}}} | Unsupported | spec.backend: not supported by Tollway yet (expected: traffic)
      {targetRefs: [ROUTE], frontend: {}} | Unsupported | spec.frontend: not supported by Tollway yet (expected: traffic)
      {targetRefs: [ROUTE]} | Invalid | spec: at least one of traffic, frontend, or backend must be provided
      {targetRefs: [ROUTE], targetSelectors: [{group: gateway.networking.k8s.io, kind: HTTPRoute, matchLabels: {a: b}}], traffic: {retry: {}}} | Invalid | spec: exactly one of targetRefs or targetSelectors must be set
      {targetRefs: [{group: gateway.networking.k8s.io, kind: GRPCRoute, name: g}], traffic: {retry: {}}} | Unsupported | spec.targetRefs[0].kind: GRPCRoute targets are not supported by Tollway yet (expected: Gateway or HTTPRoute)
      {targetRefs: [{group: '', kind: Service, name: s}], traffic: {retry: {}}} | Invalid | spec.targetRefs[0].kind: Service: the traffic field can only target a Gateway, ListenerSet, GRPCRoute, or HTTPRoute
      {targetRefs: [{group: example.com, kind: HTTPRoute, name: llm}], traffic: {retry: {}}} | Invalid | spec.targetRefs[0].group: "example.com" (expected: gateway.networking.k8s.io for HTTPRoute)
      {targetRefs: [ROUTE, {group: gateway.networking.k8s.io, kind: Gateway, name: gw}], traffic: {retry: {}}} | Invalid | spec.targetRefs: only one kind of target can be set on one policy
      {targetRefs: [ROUTE], traffic: {cors: {}}} | Unsupported | spec.traffic.cors: not supported by Tollway yet
      {targetRefs: [ROUTE], traffic: {}} | Invalid | spec.traffic: no setting (expected: apiKeyAuthentication, rateLimit, retry or timeouts)
      {targetRefs: [ROUTE], traffic: {rateLimit: {global: {}}}} | Unsupported | spec.traffic.rateLimit.global: global rate limits are not supported by Tollway yet (expected: local; budgets cover limits across replicas)
      {targetRefs: [ROUTE], traffic: {rateLimit: {local: [{requests: 5, tokens: 5, unit: Minutes}]}}} | Invalid | spec.traffic.rateLimit.local[0]: expected exactly one of requests, tokens (found: requests, tokens)
      {targetRefs: [ROUTE], traffic: {rateLimit: {local: [{requests: 5, unit: Days}]}}} | Invalid | spec.traffic.rateLimit.local[0].unit: "Days" (expected: Seconds, Minutes or Hours)
      {targetRefs: [ROUTE], traffic: {rateLimit: {local: [{requests: 5}]}}} | Invalid | spec.traffic.rateLimit.local[0].unit: missing (expected: Seconds, Minutes or Hours)
      {targetRefs: [ROUTE], traffic: {rateLimit: {local: [{requests: 5, unit: Minutes, burst: -1}]}}} | Invalid | spec.traffic.rateLimit.local[0].burst: -1 (expected: an integer from 0 to 2147483647)
      {targetRefs: [ROUTE], traffic: {retry: {codes: [503, 302]}}} | Invalid | spec.traffic.retry.codes[1]: 302 (expected: an integer from 400 to 599)
      {targetRefs: [ROUTE], traffic: {retry: {backoff: 2 seconds}}} | Invalid | spec.traffic.retry.backoff: "2 seconds" (expected: a Gateway API duration such as 10s, 500ms or 1h30m)
      {targetRefs: [ROUTE], traffic: {timeouts: {request: 10ms}}} | Invalid | spec.traffic.timeouts.request: "10ms" (expected: at least 100ms)
      {targetRefs: [ROUTE], traffic: {apiKeyAuthentication: {mode: Permissive, secretRef: {name: k}}}} | Invalid | spec.traffic.apiKeyAuthentication.mode: "Permissive" (expected: Strict or Optional)
      {targetRefs: [ROUTE], traffic: {apiKeyAuthentication: {mode: Strict}}} | Invalid | spec.traffic.apiKeyAuthentication: expected exactly one of secretRef, secretSelector (found: none)
      {targetRefs: [ROUTE], traffic: {apiKeyAuthentication: {secretSelector: {matchLabels: {}}}}} | Invalid | spec.traffic.apiKeyAuthentication.secretSelector.matchLabels: empty (expected: at least one label; an empty selector would make every Secret of the namespace a set of API keys)
      {targetRefs: [ROUTE], traffic: {phase: PreRouting, retry: {attempts: 1}}} | Invalid | spec.traffic.retry: not allowed with phase PreRouting (expected: apiKeyAuthentication only)
      """)
  void shouldRefuseWithAConditionNamingTheField(String spec, String reason, String message) {
    // Given
    String policy = """
        apiVersion: agentgateway.dev/v1alpha1
        kind: AgentgatewayPolicy
        metadata: {name: p, namespace: default}
        spec: %s
        """.formatted(spec.replace("ROUTE", ROUTE_REF));

    // When
    CompileResult result = compile(GATEWAY, ROUTE, BACKEND_OPENAI, policy);

    // Then
    Condition accepted = condition(result, "AgentgatewayPolicy", "default/p", "Accepted");
    assertThat(accepted.status()).isEqualTo(ConditionStatus.False);
    assertThat(accepted.reason()).isEqualTo(reason);
    assertThat(accepted.message()).startsWith(message + "; ");
  }
}
