package dev.tollway.config.provision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollway.config.Manifests;
import dev.tollway.config.model.InvalidSpecException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The supported subset of AgentgatewayParameters, and the comparison that decides updates. */
class ProxyParametersTest {

  private static GenericKubernetesResource parameters(String spec) {
    return (GenericKubernetesResource) Manifests.yaml("""
        apiVersion: agentgateway.dev/v1alpha1
        kind: AgentgatewayParameters
        metadata: {name: p, namespace: default}
        spec:
        """ + spec.indent(2)).get(0);
  }

  @Test
  void shouldReadQuantitiesWrittenAsNumbersOrStrings() {
    ProxyParameters read = ProxyParameters.read(parameters("""
        resources:
          requests: {cpu: 1, memory: 128Mi}
        """));
    assertThat(read.resources()).isEqualTo(Map.of("requests", Map.of("cpu", "1", "memory", "128Mi")));
  }

  @Test
  void shouldNameTheFieldItDoesNotSupport() {
    assertThatThrownBy(() -> ProxyParameters.read(parameters("""
        deployment:
          spec:
            template: {spec: {nodeSelector: {disk: ssd}}}
        """)))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessage("spec.deployment.spec.template: not supported by Tollway yet");
    assertThatThrownBy(() -> ProxyParameters.read(parameters("service: {spec: {type: ExternalName}}")))
        .hasMessage("spec.service.spec.type: ExternalName (expected: LoadBalancer, ClusterIP or NodePort)");
  }

  @Test
  void shouldLetTheGatewaysParametersWinOverTheClasss() {
    ProxyParameters classWide = ProxyParameters.read(parameters("""
        env: [{name: A, value: class}, {name: B, value: class}]
        deployment: {spec: {replicas: 2}, metadata: {labels: {team: platform}}}
        """));
    ProxyParameters gateway = ProxyParameters.read(parameters("""
        env: [{name: B, value: gateway}]
        deployment: {metadata: {labels: {app: llm}}}
        """));
    ProxyParameters merged = classWide.then(gateway);
    assertThat(merged.replicas()).isEqualTo(2);
    assertThat(merged.deploymentLabels()).containsEntry("team", "platform").containsEntry("app", "llm");
    assertThat(merged.env()).extracting(e -> e.get("name") + "=" + e.get("value")).containsExactly("A=class", "B=gateway");
  }

  @Test
  void shouldSeeServerDefaultsAsNoChangeButEditsAsChanges() {
    Map<String, Object> desired = Map.of("spec", Map.of("ports", List.of(Map.of("port", 80)),
        "resources", Map.of("cpu", "500m")));
    Map<String, Object> withDefaults = Map.of("spec", Map.of("ports", List.of(Map.of("port", 80, "nodePort", 31000,
        "protocol", "TCP")), "resources", Map.of("cpu", "0.5"), "clusterIP", "10.0.0.1"));
    Map<String, Object> edited = Map.of("spec", Map.of("ports", List.of(Map.of("port", 81)),
        "resources", Map.of("cpu", "500m")));
    Map<String, Object> extraPort = Map.of("spec", Map.of("ports", List.of(Map.of("port", 80), Map.of("port", 9)),
        "resources", Map.of("cpu", "500m")));
    assertThat(ManifestDiff.contains(withDefaults, desired)).isTrue();
    assertThat(ManifestDiff.contains(edited, desired)).isFalse();
    assertThat(ManifestDiff.contains(extraPort, desired)).isFalse();
  }
}
