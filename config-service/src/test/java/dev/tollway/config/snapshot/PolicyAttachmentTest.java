package dev.tollway.config.snapshot;

import static dev.tollway.config.snapshot.Fixtures.BACKEND_OPENAI;
import static dev.tollway.config.snapshot.Fixtures.compile;
import static dev.tollway.config.snapshot.Fixtures.condition;
import static dev.tollway.config.snapshot.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.config.status.Condition;
import dev.tollway.config.status.ConditionStatus;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.RouteEntry;
import dev.tollway.schemas.snapshot.RoutePolicy;
import dev.tollway.schemas.snapshot.RoutePolicy.ApiKeyAuth.Mode;
import dev.tollway.schemas.snapshot.RoutePolicy.RateLimit;
import dev.tollway.schemas.snapshot.RoutePolicy.Retry;
import dev.tollway.schemas.snapshot.RouteTimeouts;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** AgentgatewayPolicy: attachment to Gateways, listeners, routes and rules, and the merge of their fields. */
class PolicyAttachmentTest {

  /** A Gateway with two listeners, a route with a named and an unnamed rule, one backend. */
  static final String GATEWAY = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: default, labels: {tier: edge}}
      spec:
        gatewayClassName: tollway
        listeners:
        - {name: http, protocol: HTTP, port: 80}
        - {name: internal, protocol: HTTP, port: 8080}
      """;

  static final String ROUTE = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: llm, namespace: default, labels: {team: payments}}
      spec:
        parentRefs: [{name: gw}]
        rules:
        - name: chat
          matches: [{path: {type: PathPrefix, value: /chat}}]
          backendRefs: [{group: agentgateway.dev, kind: AgentgatewayBackend, name: openai}]
        - matches: [{path: {type: PathPrefix, value: /other}}]
          backendRefs: [{group: agentgateway.dev, kind: AgentgatewayBackend, name: openai}]
      """;

  static final String KEYS = """
      apiVersion: v1
      kind: Secret
      metadata: {name: keys, namespace: default}
      stringData:
        alice: sk-alice
      """;

  /** A policy named {@code name} with the given targets and traffic (YAML blocks). */
  static String policy(String name, String targets, String traffic) {
    return """
        apiVersion: agentgateway.dev/v1alpha1
        kind: AgentgatewayPolicy
        metadata: {name: %s, namespace: default}
        spec:
        %s
          traffic:
        %s
        """.formatted(name, targets.indent(2).stripTrailing(), traffic.indent(4).stripTrailing());
  }

  static String dated(String policy, String timestamp) {
    return policy.replace("namespace: default}", "namespace: default, creationTimestamp: \"" + timestamp + "\"}");
  }

  static final String ON_GATEWAY = "targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw}]";
  static final String ON_LISTENER =
      "targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: gw, sectionName: internal}]";
  static final String ON_ROUTE = "targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: llm}]";
  static final String ON_RULE =
      "targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: llm, sectionName: chat}]";

  static GatewaySnapshot compiled(String... policies) {
    String[] docs = new String[policies.length + 4];
    docs[0] = GATEWAY;
    docs[1] = ROUTE;
    docs[2] = BACKEND_OPENAI;
    docs[3] = KEYS;
    System.arraycopy(policies, 0, docs, 4, policies.length);
    CompileResult result = compile(docs);
    assertThat(result.problems()).as("problems").isEmpty();
    return snapshot(result, "default/gw");
  }

  /** The entry of a rule on a listener. */
  static RouteEntry entry(GatewaySnapshot snapshot, int rule, String listener) {
    return snapshot.routes().stream()
        .filter(e -> e.rule() == rule && e.listeners().contains(listener))
        .findFirst().orElseThrow(() -> new AssertionError("no entry for rule " + rule + " on " + listener));
  }

  static RateLimit requests(String policy, long limit) {
    return new RateLimit(policy, RateLimit.Kind.requests, limit, RateLimit.Unit.Minutes, 0);
  }

  @Test
  void shouldApplyAGatewayPolicyToEveryRuleOnEveryListener() {
    // When a policy targets the Gateway
    GatewaySnapshot snapshot = compiled(policy("everywhere", ON_GATEWAY,
        "rateLimit: {local: [{requests: 60, unit: Minutes}]}"));

    // Then every entry carries it, and the listeners still share entries
    assertThat(snapshot.routes()).hasSize(2).allSatisfy(e -> {
      assertThat(e.listeners()).containsExactly("http", "internal");
      assertThat(e.policy().rateLimits()).containsExactly(requests("default/everywhere#0", 60));
    });
  }

  @Test
  void shouldLetAListenerPolicyOverrideTheGatewaysOnThatListenerOnly() {
    // When the Gateway allows 60 a minute and its listener "internal" 600
    GatewaySnapshot snapshot = compiled(
        policy("gateway", ON_GATEWAY, "rateLimit: {local: [{requests: 60, unit: Minutes}]}"),
        policy("internal", ON_LISTENER, "rateLimit: {local: [{requests: 600, unit: Minutes}]}"));

    // Then each rule is split into one entry per listener, each with its own limit
    assertThat(snapshot.routes()).hasSize(4);
    assertThat(entry(snapshot, 0, "http").listeners()).containsExactly("http");
    assertThat(entry(snapshot, 0, "http").policy().rateLimits()).containsExactly(requests("default/gateway#0", 60));
    assertThat(entry(snapshot, 0, "internal").listeners()).containsExactly("internal");
    assertThat(entry(snapshot, 0, "internal").policy().rateLimits())
        .containsExactly(requests("default/internal#0", 600));
  }

  @Test
  void shouldMergeFieldByFieldWithTheMostSpecificAttachmentWinningEachField() {
    // Given API keys and a limit on the Gateway, a retry on the route, a tighter limit on the rule "chat"
    GatewaySnapshot snapshot = compiled(
        policy("gateway", ON_GATEWAY, """
            apiKeyAuthentication: {secretRef: {name: keys}}
            rateLimit: {local: [{requests: 60, unit: Minutes}]}
            """),
        policy("route", ON_ROUTE, "retry: {codes: [503, 429], attempts: 2, backoff: 200ms}"),
        policy("rule", ON_RULE, """
            rateLimit: {local: [{tokens: 1000, unit: Hours, burst: 100}, {requests: 5, unit: Seconds}]}
            timeouts: {request: 30s}
            """));

    // Then the rule "chat" has the Gateway's keys, the route's retry and its own limits and timeout
    RouteEntry chat = entry(snapshot, 0, "http");
    assertThat(chat.policy()).isEqualTo(new RoutePolicy(
        new RoutePolicy.ApiKeyAuth(Mode.Strict, List.of("default/gateway")),
        List.of(new RateLimit("default/rule#0", RateLimit.Kind.tokens, 1000, RateLimit.Unit.Hours, 100),
            new RateLimit("default/rule#1", RateLimit.Kind.requests, 5, RateLimit.Unit.Seconds, 0)),
        new Retry(List.of(429, 503), 3, 200L)));
    assertThat(chat.timeouts()).isEqualTo(new RouteTimeouts(30_000L, null));
    // and the unnamed rule keeps the Gateway's limit with the route's retry
    RouteEntry other = entry(snapshot, 1, "http");
    assertThat(other.policy().rateLimits()).containsExactly(requests("default/gateway#0", 60));
    assertThat(other.policy().retry()).isEqualTo(new Retry(List.of(429, 503), 3, 200L));
    assertThat(other.timeouts()).isNull();
    // and the snapshot carries the key set the entries name
    assertThat(snapshot.apiKeySets()).containsOnlyKeys("default/gateway");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      2026-01-01T00:00:00Z | 2026-02-01T00:00:00Z | default/a#0
      2026-03-01T00:00:00Z | 2026-02-01T00:00:00Z | default/b#0
      ''                   | 2026-02-01T00:00:00Z | default/b#0
      ''                   | ''                   | default/a#0
      """)
  void shouldLetTheOldestPolicyWinAmongPoliciesOnTheSameTargetThenTheFirstByName(
      String createdA, String createdB, String winner) {
    // Given two policies on the same route, created at the given times (empty: no timestamp)
    String a = policy("a", ON_ROUTE, "rateLimit: {local: [{requests: 1, unit: Minutes}]}");
    String b = policy("b", ON_ROUTE, "rateLimit: {local: [{requests: 2, unit: Minutes}]}");

    // When
    GatewaySnapshot snapshot = compiled(
        createdA.isEmpty() ? a : dated(a, createdA), createdB.isEmpty() ? b : dated(b, createdB));

    // Then
    assertThat(entry(snapshot, 0, "http").policy().rateLimits()).extracting(RateLimit::policy).containsExactly(winner);
  }

  @Test
  void shouldKeepTheRulesOwnRequestTimeoutOverAPolicys() {
    // Given a rule with its own timeouts and a policy with a request timeout on its route
    String route = ROUTE.replace("  - name: chat\n", "  - name: chat\n    timeouts: {request: 10s, backendRequest: 5s}\n");
    CompileResult result = compile(GATEWAY, route, BACKEND_OPENAI,
        policy("slow", ON_ROUTE, "timeouts: {request: 60s}"));

    // Then the rule keeps its own, the other rule gets the policy's
    GatewaySnapshot snapshot = snapshot(result, "default/gw");
    assertThat(entry(snapshot, 0, "http").timeouts()).isEqualTo(new RouteTimeouts(10_000L, 5_000L));
    assertThat(entry(snapshot, 1, "http").timeouts()).isEqualTo(new RouteTimeouts(60_000L, null));
  }

  @Test
  void shouldAttachThroughTargetSelectorsByLabelInThePolicysNamespace() {
    // When policies select the route and the Gateway by their labels
    GatewaySnapshot snapshot = compiled(
        policy("by-label", """
            targetSelectors: [{group: gateway.networking.k8s.io, kind: HTTPRoute, matchLabels: {team: payments}}]
            """, "retry: {attempts: 0}"),
        policy("gateway-by-label", """
            targetSelectors: [{group: gateway.networking.k8s.io, kind: Gateway, matchLabels: {tier: edge}}]
            """, "timeouts: {request: 20s}"));

    // Then both apply
    RouteEntry entry = entry(snapshot, 1, "http");
    assertThat(entry.policy().retry()).isEqualTo(new Retry(List.of(), 1, null));
    assertThat(entry.timeouts()).isEqualTo(new RouteTimeouts(20_000L, null));
  }

  @Test
  void shouldReportTargetsThatDoNotExistAndRefuseAPolicyWithNoTarget() {
    // When one policy names a missing route and a missing rule, and another only a missing Gateway
    CompileResult result = compile(GATEWAY, ROUTE, BACKEND_OPENAI,
        policy("partly", """
            targetRefs:
            - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: llm, sectionName: chat}
            - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: llm, sectionName: nope}
            - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: gone}
            """, "retry: {attempts: 1}"),
        policy("nowhere", "targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: other}]",
            "retry: {attempts: 1}"));

    // Then the first applies where it can and names what is missing
    assertThat(condition(result, "AgentgatewayPolicy", "default/partly", "Accepted").status())
        .isEqualTo(ConditionStatus.True);
    Condition refs = condition(result, "AgentgatewayPolicy", "default/partly", "ResolvedRefs");
    assertThat(refs.status()).isEqualTo(ConditionStatus.False);
    assertThat(refs.reason()).isEqualTo("TargetNotFound");
    assertThat(refs.message()).isEqualTo(
        "spec.targetRefs[1]: HTTPRoute llm (rule nope) not found in namespace default; "
            + "spec.targetRefs[2]: HTTPRoute gone not found in namespace default");
    assertThat(entry(snapshot(result, "default/gw"), 0, "http").policy().retry()).isNotNull();
    // and the second is not accepted
    Condition nowhere = condition(result, "AgentgatewayPolicy", "default/nowhere", "Accepted");
    assertThat(nowhere.status()).isEqualTo(ConditionStatus.False);
    assertThat(nowhere.reason()).isEqualTo("TargetNotFound");
    assertThat(nowhere.message()).isEqualTo("spec.targetRefs[0]: Gateway other not found in namespace default");
  }

  @Test
  void shouldNotReachIntoAnotherNamespace() {
    // Given a policy in namespace "other" naming the route "llm" of namespace default
    String foreign = policy("foreign", ON_ROUTE, "retry: {attempts: 1}").replace("namespace: default}", "namespace: other}");

    // When
    CompileResult result = compile(GATEWAY, ROUTE, BACKEND_OPENAI, foreign);

    // Then it attaches to nothing
    assertThat(condition(result, "AgentgatewayPolicy", "other/foreign", "Accepted").reason())
        .isEqualTo("TargetNotFound");
    assertThat(snapshot(result, "default/gw").routes()).allSatisfy(e -> assertThat(e.policy()).isEqualTo(RoutePolicy.none()));
  }

  @Test
  void shouldSayHowManyRouteRulesAPolicyAppliesTo() {
    // When
    CompileResult result = compile(GATEWAY, ROUTE, BACKEND_OPENAI,
        policy("everywhere", ON_GATEWAY, "retry: {attempts: 1}"));

    // Then
    assertThat(condition(result, "AgentgatewayPolicy", "default/everywhere", "Accepted").message())
        .isEqualTo("applies to 2 route rule(s) of Gateways handled by Tollway");
    assertThat(condition(result, "AgentgatewayPolicy", "default/everywhere", "ResolvedRefs").message())
        .isEqualTo("all references resolved");
  }
}
