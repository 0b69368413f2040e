package dev.tollway.config.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.config.Manifests;
import dev.tollway.schemas.serde.Json;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Same input, same bytes: the snapshot topic relies on it to publish only what changed. */
class DeterminismTest {

  private static final String EXTRA = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: second, namespace: team}
      spec:
        gatewayClassName: tollway
        listeners:
        - {name: a, protocol: HTTP, port: 8080, hostname: '*.example.com'}
        - {name: b, protocol: HTTP, port: 8081}
      ---
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: multi, namespace: team}
      spec:
        hostnames: [x.example.com, '*.example.com']
        parentRefs: [{name: second}]
        rules:
        - matches: [{path: {value: /a}}, {path: {type: Exact, value: /b}, headers: [{name: h, value: v}]}]
          backendRefs:
          - {group: agentgateway.dev, kind: AgentgatewayBackend, name: gemini, namespace: default, weight: 2}
          - {name: svc, port: 80}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: svc, namespace: team}
      spec: {ports: [{port: 80}]}
      ---
      apiVersion: gateway.networking.k8s.io/v1beta1
      kind: ReferenceGrant
      metadata: {name: team-to-default, namespace: default}
      spec:
        from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: team}]
        to: [{group: agentgateway.dev, kind: AgentgatewayBackend}]
      """;

  private static List<HasMetadata> resources() {
    List<HasMetadata> resources = new ArrayList<>(Manifests.files("seed/01-gateway.yaml", "seed/secrets.yaml",
        "seed/llm/gemini/02-backend-gemini.yaml", "seed/llm/anthropic/05-backend-anthropic.yaml",
        "seed/llm/06-httproute-anthropic.yaml"));
    resources.addAll(Manifests.yaml(EXTRA));
    return resources;
  }

  private static Map<String, byte[]> bytes(CompileResult result) {
    Map<String, byte[]> bytes = new TreeMap<>();
    result.snapshots().forEach((k, v) -> bytes.put(k, Json.toBytes(v)));
    return bytes;
  }

  @Test
  void shouldGiveIdenticalBytesForTheSameInputTwice() {
    // Given
    SnapshotCompiler compiler = new SnapshotCompiler(Manifests.cipher());

    // When
    CompileResult first = compiler.compile(Manifests.state(resources()));
    CompileResult second = new SnapshotCompiler(Manifests.cipher()).compile(Manifests.state(resources()));

    // Then
    assertThat(first.snapshots()).hasSize(2);
    assertThat(first.problems()).isEmpty();
    assertThat(bytes(second)).containsOnlyKeys(bytes(first).keySet());
    bytes(first).forEach((key, value) -> assertThat(bytes(second).get(key)).as(key).isEqualTo(value));
    assertThat(second.statuses()).isEqualTo(first.statuses());
  }

  @Test
  void shouldGiveIdenticalBytesWhateverOrderTheResourcesArriveIn() {
    // Given
    SnapshotCompiler compiler = new SnapshotCompiler(Manifests.cipher());
    Map<String, byte[]> expected = bytes(compiler.compile(Manifests.state(resources())));

    for (long seed = 1; seed <= 8; seed++) {
      // When
      List<HasMetadata> shuffled = resources();
      Collections.shuffle(shuffled, new Random(seed));
      Map<String, byte[]> actual = bytes(compiler.compile(Manifests.state(shuffled)));

      // Then
      assertThat(actual).containsOnlyKeys(expected.keySet());
      for (String key : expected.keySet()) {
        assertThat(actual.get(key)).as("order seed " + seed + ", " + key).isEqualTo(expected.get(key));
      }
    }
  }
}
