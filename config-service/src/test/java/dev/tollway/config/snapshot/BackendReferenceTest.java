package dev.tollway.config.snapshot;

import static dev.tollway.config.snapshot.Fixtures.BACKEND_OPENAI;
import static dev.tollway.config.snapshot.Fixtures.GATEWAY_ALL;
import static dev.tollway.config.snapshot.Fixtures.compile;
import static dev.tollway.config.snapshot.Fixtures.parentCondition;
import static dev.tollway.config.snapshot.Fixtures.route;
import static dev.tollway.config.snapshot.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.config.status.Condition;
import dev.tollway.config.status.ConditionStatus;
import dev.tollway.schemas.snapshot.Backend;
import dev.tollway.schemas.snapshot.BackendRef;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import org.junit.jupiter.api.Test;

/** backendRefs: AgentgatewayBackend and Service, namespaces and ReferenceGrants, weights, failures. */
class BackendReferenceTest {

  private static final String BACKEND_IN_TEAM = BACKEND_OPENAI.replace("namespace: default", "namespace: team");

  private static final String CROSS_NAMESPACE_ROUTE = route("cross", "default", """
      - backendRefs:
        - group: agentgateway.dev
          kind: AgentgatewayBackend
          name: openai
          namespace: team
      """);

  private static final String GRANT = """
      apiVersion: gateway.networking.k8s.io/v1beta1
      kind: ReferenceGrant
      metadata:
        name: allow-default
        namespace: team
      spec:
        from:
        - group: gateway.networking.k8s.io
          kind: HTTPRoute
          namespace: default
        to:
        - group: agentgateway.dev
          kind: AgentgatewayBackend
      """;

  @Test
  void shouldRefuseACrossNamespaceReferenceWithoutReferenceGrant() {
    // When
    CompileResult result = compile(GATEWAY_ALL, BACKEND_IN_TEAM, CROSS_NAMESPACE_ROUTE);

    // Then
    BackendRef ref = snapshot(result, "default/gw").routes().get(0).backends().get(0);
    assertThat(ref.backend()).isEqualTo("team/openai");
    assertThat(ref.unresolved()).contains("no ReferenceGrant in team allows HTTPRoutes from default");
    Condition resolved = parentCondition(result, "default/cross", "default/gw", "ResolvedRefs");
    assertThat(resolved.status()).isEqualTo(ConditionStatus.False);
    assertThat(resolved.reason()).isEqualTo("RefNotPermitted");
    assertThat(snapshot(result, "default/gw").backends()).isEmpty();
  }

  @Test
  void shouldResolveACrossNamespaceReferenceWithAReferenceGrantInTheTargetNamespace() {
    // When
    CompileResult result = compile(GATEWAY_ALL, BACKEND_IN_TEAM, CROSS_NAMESPACE_ROUTE, GRANT);

    // Then
    assertThat(snapshot(result, "default/gw").routes().get(0).backends())
        .containsExactly(BackendRef.resolved("team/openai", 1));
    assertThat(snapshot(result, "default/gw").backends()).containsOnlyKeys("team/openai");
    assertThat(parentCondition(result, "default/cross", "default/gw", "ResolvedRefs").status())
        .isEqualTo(ConditionStatus.True);
  }

  @Test
  void shouldIgnoreAReferenceGrantThatIsNotInTheTargetNamespaceOrNamesAnotherObject() {
    // Given a grant in the route's namespace, and one in the target's namespace for another name
    String misplaced = GRANT.replace("namespace: team\nspec", "namespace: default\nspec");
    String otherName = GRANT.replace("    kind: AgentgatewayBackend\n", "    kind: AgentgatewayBackend\n    name: other\n");

    // When / Then
    assertThat(parentCondition(compile(GATEWAY_ALL, BACKEND_IN_TEAM, CROSS_NAMESPACE_ROUTE, misplaced),
        "default/cross", "default/gw", "ResolvedRefs").reason()).isEqualTo("RefNotPermitted");
    assertThat(parentCondition(compile(GATEWAY_ALL, BACKEND_IN_TEAM, CROSS_NAMESPACE_ROUTE, otherName),
        "default/cross", "default/gw", "ResolvedRefs").reason()).isEqualTo("RefNotPermitted");
  }

  @Test
  void shouldKeepOtherRulesIntactWhenABackendIsMissing() {
    // Given one rule to a missing backend and one to an existing one
    String r = route("mixed", "default", """
        - matches: [{path: {value: /missing}}]
          backendRefs:
          - {group: agentgateway.dev, kind: AgentgatewayBackend, name: nope}
        - matches: [{path: {value: /ok}}]
          backendRefs:
          - {group: agentgateway.dev, kind: AgentgatewayBackend, name: openai}
        """);

    // When
    CompileResult result = compile(GATEWAY_ALL, BACKEND_OPENAI, r);

    // Then
    GatewaySnapshot snapshot = snapshot(result, "default/gw");
    assertThat(snapshot.routes()).extracting(e -> e.match().path().value(), e -> e.backends().get(0))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("/missing",
                BackendRef.unresolved("default/nope", 1, "AgentgatewayBackend default/nope not found")),
            org.assertj.core.groups.Tuple.tuple("/ok", BackendRef.resolved("default/openai", 1)));
    Condition resolved = parentCondition(result, "default/mixed", "default/gw", "ResolvedRefs");
    assertThat(resolved.reason()).isEqualTo("BackendNotFound");
    assertThat(resolved.message()).isEqualTo("AgentgatewayBackend default/nope not found");
    assertThat(parentCondition(result, "default/mixed", "default/gw", "Accepted").status())
        .isEqualTo(ConditionStatus.True);
  }

  @Test
  void shouldRouteToAServicePortAsAPlainHttpBackend() {
    // Given a Service and a weighted split between it and an AI backend
    String service = """
        apiVersion: v1
        kind: Service
        metadata: {name: vllm, namespace: default}
        spec:
          ports: [{port: 8000}]
        """;
    String r = route("split", "default", """
        - backendRefs:
          - {name: vllm, port: 8000, weight: 3}
          - {group: agentgateway.dev, kind: AgentgatewayBackend, name: openai}
        """);

    // When
    GatewaySnapshot snapshot = snapshot(compile(GATEWAY_ALL, BACKEND_OPENAI, service, r), "default/gw");

    // Then
    assertThat(snapshot.routes().get(0).backends())
        .containsExactly(BackendRef.resolved("default/vllm:8000", 3), BackendRef.resolved("default/openai", 1));
    assertThat(snapshot.backends().get("default/vllm:8000")).isEqualTo(
        Backend.host("default/vllm", new Backend.HostBackend("vllm.default.svc.cluster.local", 8000, false)));
  }

  @Test
  void shouldReportServiceReferencesThatCannotBeResolved() {
    // Given a Service without the referenced port, a missing Service, and a ref without port
    String service = """
        apiVersion: v1
        kind: Service
        metadata: {name: vllm, namespace: default}
        spec:
          ports: [{port: 8000}]
        """;
    String r = route("svc", "default", """
        - matches: [{path: {value: /a}}]
          backendRefs: [{name: vllm, port: 9000}]
        - matches: [{path: {value: /b}}]
          backendRefs: [{name: ghost, port: 80}]
        - matches: [{path: {value: /c}}]
          backendRefs: [{name: vllm}]
        """);

    // When
    GatewaySnapshot snapshot = snapshot(compile(GATEWAY_ALL, service, r), "default/gw");

    // Then
    assertThat(snapshot.routes()).extracting(e -> e.backends().get(0).unresolved()).containsExactly(
        "Service default/vllm has no port 9000",
        "Service default/ghost not found",
        "spec.rules[2].backendRefs[0].port: missing (required for a Service)");
  }

  @Test
  void shouldRefuseABackendRefOfAnUnsupportedKind() {
    // Given
    String r = route("odd", "default", """
        - backendRefs: [{group: example.com, kind: Bucket, name: b}]
        """);

    // When
    CompileResult result = compile(GATEWAY_ALL, r);

    // Then
    Condition resolved = parentCondition(result, "default/odd", "default/gw", "ResolvedRefs");
    assertThat(resolved.reason()).isEqualTo("InvalidKind");
    assertThat(resolved.message()).contains("kind example.com/Bucket is not supported");
  }
}
