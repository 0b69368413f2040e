package dev.tollway.config.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollway.config.Manifests;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterStateTest {

  @Test
  void shouldLetALaterResourceWithTheSameKindNamespaceAndNameReplaceTheEarlierOne() {
    // Given the tutorial's three HTTPRoutes named llm-route, applied in order
    ClusterState.Builder builder = ClusterState.builder();
    List<HasMetadata> routes = Manifests.files("seed/llm/03-httproute.yaml", "seed/llm/04-httproute-gemini.yaml",
        "seed/llm/06-httproute-anthropic.yaml");

    // When
    List<ClusterState.Added> added = routes.stream().map(builder::add).toList();
    ClusterState state = builder.build();

    // Then
    assertThat(added).containsExactly(ClusterState.Added.ADDED, ClusterState.Added.REPLACED,
        ClusterState.Added.REPLACED);
    assertThat(state.httpRoutes()).singleElement()
        .satisfies(r -> assertThat(r.getSpec().getRules()).hasSize(2));
  }

  @Test
  void shouldReadV1beta1DocumentsIntoV1TypesAndIgnoreOtherKinds() {
    // Given
    List<HasMetadata> resources = Manifests.yaml("""
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: HTTPRoute
        metadata: {name: old, namespace: default}
        spec: {rules: [{}]}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: cm}
        ---
        apiVersion: example.com/v1
        kind: Widget
        metadata: {name: w}
        """);
    ClusterState.Builder builder = ClusterState.builder();

    // When
    List<ClusterState.Added> added = resources.stream().map(builder::add).toList();

    // Then
    assertThat(resources.get(1)).isInstanceOf(ConfigMap.class);
    assertThat(added).containsExactly(ClusterState.Added.ADDED, ClusterState.Added.IGNORED,
        ClusterState.Added.IGNORED);
    assertThat(builder.build().httpRoutes()).singleElement().isInstanceOf(HTTPRoute.class)
        .satisfies(r -> assertThat(r.getApiVersion()).isEqualTo("gateway.networking.k8s.io/v1"));
  }

  @Test
  void shouldBeEqualWhateverTheOrderOfItsResources() {
    // Given
    List<HasMetadata> resources = new ArrayList<>(Manifests.files("seed/01-gateway.yaml", "seed/secrets.yaml",
        "seed/llm/gemini/02-backend-gemini.yaml", "seed/llm/anthropic/05-backend-anthropic.yaml"));
    List<HasMetadata> reversed = new ArrayList<>(resources);
    Collections.reverse(reversed);

    // When / Then
    assertThat(Manifests.state(reversed)).isEqualTo(Manifests.state(resources));
  }

  @Test
  void shouldRejectDuplicatesPassedToTheConstructor() {
    // Given two Secrets with the same key, one without namespace (which means default)
    var a = new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName("s").build()).build();
    var b = new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName("s").withNamespace("default").build())
        .build();

    // When / Then
    assertThatThrownBy(() -> new ClusterState(List.of(), List.of(), List.of(), List.of(), List.of(a, b), List.of(),
        List.of(), List.of(), List.of(), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("duplicate Secret default/s");
  }

  @Test
  void shouldKeepTollwaysModelPricesAndBudgetsAndIgnoreOtherKindsOfItsGroup() {
    // Given
    List<HasMetadata> resources = Manifests.yaml("""
        apiVersion: tollway.dev/v1alpha1
        kind: Budget
        metadata: {name: daily, namespace: payments}
        spec: {}
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: ModelPrice
        metadata: {name: negotiated}
        spec: {}
        ---
        apiVersion: tollway.dev/v1alpha1
        kind: Discount
        metadata: {name: d}
        """);
    ClusterState.Builder builder = ClusterState.builder();

    // When
    List<ClusterState.Added> added = resources.stream().map(builder::add).toList();
    ClusterState state = builder.build();

    // Then
    assertThat(added).containsExactly(ClusterState.Added.ADDED, ClusterState.Added.ADDED,
        ClusterState.Added.IGNORED);
    assertThat(state.budgets()).extracting(Resources::key).containsExactly("payments/daily");
    assertThat(state.modelPrices()).extracting(Resources::key).containsExactly("default/negotiated");
    assertThat(state.size()).isEqualTo(2);
  }
}
