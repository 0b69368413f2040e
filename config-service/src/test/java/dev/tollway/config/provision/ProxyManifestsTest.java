package dev.tollway.config.provision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.config.Manifests;
import dev.tollway.schemas.snapshot.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The desired objects, as a pure function. */
class ProxyManifestsTest {

  @Test
  void shouldMovePrivilegedPortsOutOfTheWayOfEveryOtherPort() {
    assertThat(ProxyManifests.containerPorts(Set.of(80, 443))).containsExactly(Map.entry(80, 8080), Map.entry(443, 8443));
    assertThat(ProxyManifests.containerPorts(Set.of(80, 8080))).containsExactly(Map.entry(80, 8081), Map.entry(8080, 8080));
    assertThat(ProxyManifests.containerPorts(Set.of(7021, 15021))).containsEntry(7021, 7021).containsEntry(15021, 15021);
  }

  @Test
  void shouldReplaceEachPartOfTheImageTheParametersName() {
    String base = "registry.example.com:5000/tollway/edge-proxy:0.1.0";
    assertThat(ProxyManifests.image(base, Map.of())).isEqualTo(base);
    assertThat(ProxyManifests.image(base, Map.of("tag", "0.2.0"))).isEqualTo("registry.example.com:5000/tollway/edge-proxy:0.2.0");
    assertThat(ProxyManifests.image(base, Map.of("registry", "mirror.local", "digest", "sha256:abc")))
        .isEqualTo("mirror.local/tollway/edge-proxy:0.1.0@sha256:abc");
    assertThat(ProxyManifests.image("tollway/edge-proxy", Map.of("repository", "me/proxy", "tag", "dev")))
        .isEqualTo("me/proxy:dev");
  }

  @Test
  void shouldBeDeterministicAndHashWhatItWants() {
    // Given the same inputs twice
    Gateway gateway = (Gateway) Manifests.yaml(Manifests.text("seed/01-gateway.yaml")).get(0);
    gateway.getMetadata().setUid("4f6a");
    ProvisioningSettings settings = ProvisioningSettings.fromEnv(Map.of("TOLLWAY_PROXY_IMAGE", "tollway/edge-proxy:1"),
        true, "kafka:9092", new TreeMap<>());
    ProxyManifests.Inputs inputs = new ProxyManifests.Inputs(gateway, "agentgateway",
        List.of(new Listener("http", "HTTP", 80, null, null)), ProxyParameters.NONE, settings, Manifests.KEY,
        "tollway.dev/gateway-controller");

    // When built twice, and once with another replica count
    ProxyManifests.Desired first = ProxyManifests.build(inputs);
    ProxyManifests.Desired second = ProxyManifests.build(inputs);
    ProxyManifests.Desired scaled = ProxyManifests.build(new ProxyManifests.Inputs(gateway, "agentgateway",
        inputs.listeners(), new ProxyParameters(Map.of(), null, List.of(), new TreeMap<>(), new TreeMap<>(), 4,
            new TreeMap<>(), new TreeMap<>(), null), settings, Manifests.KEY, "tollway.dev/gateway-controller"));

    // Then the objects are equal, and the hash tells the change apart
    assertThat(second).isEqualTo(first);
    String hash = first.deployment().getMetadata().getAnnotations().get(ProxyLabels.SPEC_HASH_ANNOTATION);
    assertThat(hash).hasSize(24);
    assertThat(scaled.deployment().getMetadata().getAnnotations().get(ProxyLabels.SPEC_HASH_ANNOTATION)).isNotEqualTo(hash);
    assertThat(inputs.toString()).doesNotContain(Manifests.KEY);
  }

  @Test
  void shouldShortenLabelValuesLongerThanKubernetesAllows() {
    String name = "a".repeat(80);
    String value = ProxyManifests.labelValues(Map.of("k", name)).get("k");
    assertThat(value).hasSize(63).startsWith("a".repeat(52) + "-");
  }
}
