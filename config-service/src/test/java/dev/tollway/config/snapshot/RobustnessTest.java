package dev.tollway.config.snapshot;

import static dev.tollway.config.snapshot.Fixtures.condition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.config.Manifests;
import dev.tollway.config.model.ClusterState;
import dev.tollway.config.status.Condition;
import dev.tollway.config.status.ConditionStatus;
import dev.tollway.schemas.serde.Json;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A hostile or garbage resource gets its own condition and changes nothing else. */
class RobustnessTest {

  private static final String[] SEED = {"seed/01-gateway.yaml", "seed/secrets.yaml",
      "seed/llm/gemini/02-backend-gemini.yaml", "seed/llm/anthropic/05-backend-anthropic.yaml",
      "seed/llm/06-httproute-anthropic.yaml"};

  private static final String GARBAGE = """
      apiVersion: agentgateway.dev/v1alpha1
      kind: AgentgatewayBackend
      metadata: {name: numbers}
      spec: 42
      ---
      apiVersion: agentgateway.dev/v1alpha1
      kind: AgentgatewayBackend
      metadata: {name: listy}
      spec: {ai: {provider: [openai, gemini]}}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: null-rule, namespace: default}
      spec:
        parentRefs: [{name: agentgateway}]
        rules: [null]
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: weird-match, namespace: default}
      spec:
        parentRefs: [{name: agentgateway}]
        rules: [{matches: [{path: {type: Glob, value: '/**'}}]}]
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: null-listener, namespace: default}
      spec:
        gatewayClassName: agentgateway
        listeners: [null]
      ---
      apiVersion: agentgateway.dev/v1alpha1
      kind: AgentgatewayPolicy
      metadata: {name: limits}
      spec: {targetRefs: [{group: gateway.networking.k8s.io, kind: Gateway, name: agentgateway}]}
      """;

  @Test
  void shouldGiveGarbageItsOwnConditionsAndLeaveTheSeedSnapshotUnchanged() {
    // Given the seed alone, and the seed with garbage resources next to it
    ClusterState clean = Manifests.seed(SEED);
    List<HasMetadata> withGarbage = new ArrayList<>(Manifests.files(SEED));
    withGarbage.addAll(Manifests.yaml(GARBAGE));
    SnapshotCompiler compiler = new SnapshotCompiler(Manifests.cipher());

    // When
    CompileResult expected = compiler.compile(clean);
    CompileResult result = compiler.compile(Manifests.state(withGarbage));

    // Then the tutorial's snapshot is byte for byte the same
    assertThat(Json.toBytes(result.snapshots().get("default/agentgateway")))
        .isEqualTo(Json.toBytes(expected.snapshots().get("default/agentgateway")));
    // and each garbage resource carries its own verdict
    assertThat(condition(result, "AgentgatewayBackend", "default/numbers", "Accepted").message())
        .isEqualTo("spec: 42 (expected: an object)");
    assertThat(condition(result, "AgentgatewayBackend", "default/listy", "Accepted").message())
        .isEqualTo("spec.ai.provider: a list (expected: an object)");
    assertThat(condition(result, "HTTPRoute", "default/null-rule", "Accepted").message())
        .startsWith("could not be compiled: NullPointerException");
    assertThat(Fixtures.parentCondition(result, "default/weird-match", "default/agentgateway", "Accepted"))
        .satisfies(c -> {
          assertThat(c.status()).isEqualTo(ConditionStatus.False);
          assertThat(c.message()).contains("spec.rules[0].matches[0].path.type: \"Glob\"");
        });
    assertThat(condition(result, "Gateway", "default/null-listener", "Accepted").status())
        .isEqualTo(ConditionStatus.False);
    Condition policy = condition(result, "AgentgatewayPolicy", "default/limits", "Accepted");
    assertThat(policy.reason()).isEqualTo("Invalid");
    assertThat(policy.message())
        .isEqualTo("spec: at least one of traffic, frontend, or backend must be provided; it has no effect");
    // and nothing about the seed's own resources is reported
    assertThat(result.problems()).extracting(p -> p.resource().name())
        .doesNotContain("agentgateway", "gemini", "anthropic", "llm-route");
  }

  @Test
  void shouldRefuseAHugeOrDeeplyNestedResourceAloneAndKeepTheSnapshotSmall() {
    // Given the seed, a backend with a 1 MB model name, and one whose spec nests 10,000 levels deep
    List<HasMetadata> resources = new ArrayList<>(Manifests.files(SEED));
    resources.addAll(Manifests.yaml("""
        apiVersion: agentgateway.dev/v1alpha1
        kind: AgentgatewayBackend
        metadata: {name: huge}
        spec: {ai: {provider: {openai: {model: '%s'}}}}
        """.formatted("m".repeat(1024 * 1024))));
    java.util.Map<String, Object> nested = new java.util.HashMap<>();
    java.util.Map<String, Object> inner = nested;
    for (int i = 0; i < 10_000; i++) {
      java.util.Map<String, Object> next = new java.util.HashMap<>();
      inner.put("x", next);
      inner = next;
    }
    io.fabric8.kubernetes.api.model.GenericKubernetesResource deep = new io.fabric8.kubernetes.api.model.GenericKubernetesResource();
    deep.setApiVersion("agentgateway.dev/v1alpha1");
    deep.setKind("AgentgatewayBackend");
    deep.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("deep").withNamespace("default").build());
    deep.setAdditionalProperty("spec", java.util.Map.of("ai", java.util.Map.of("provider", java.util.Map.of("openai", nested))));
    resources.add(deep);
    SnapshotCompiler compiler = new SnapshotCompiler(Manifests.cipher());

    // When
    CompileResult result = compiler.compile(Manifests.state(resources));

    // Then each gets its own failing condition, and the seed's snapshot is unchanged
    assertThat(condition(result, "AgentgatewayBackend", "default/huge", "Accepted").message())
        .isEqualTo("spec.ai.provider.openai.model: 1048576 characters (expected: at most 65536)");
    assertThat(condition(result, "AgentgatewayBackend", "default/deep", "Accepted").message())
        .isEqualTo("spec.ai.provider.openai.x: not supported by Tollway yet");
    assertThat(Json.toBytes(result.snapshots().get("default/agentgateway")))
        .isEqualTo(Json.toBytes(compiler.compile(Manifests.seed(SEED)).snapshots().get("default/agentgateway")));
  }
}
