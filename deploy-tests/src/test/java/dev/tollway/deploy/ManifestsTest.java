package dev.tollway.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strict parser the other tests rely on accepts valid objects and refuses what Kubernetes would not take. */
class ManifestsTest {

  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            CONTAINERS_KEY:
              - name: web
                image: nginx
                ports:
                  - containerPort: PORT
      """;

  @Test
  void shouldParseEachDocumentIntoItsTypedModel() {
    // Given
    String yaml = """
        # Source: a comment-only document is skipped
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata:
          name: agentgateway
        spec:
          controllerName: tollway.dev/gateway-controller
        ---
        """ + DEPLOYMENT.replace("CONTAINERS_KEY", "containers").replace("PORT", "8080");

    // When
    List<HasMetadata> parsed = Manifests.parse(yaml, "test");

    // Then
    assertThat(parsed).hasSize(2);
    assertThat(parsed.get(0)).isInstanceOf(GatewayClass.class);
    assertThat(((GatewayClass) parsed.get(0)).getSpec().getControllerName()).isEqualTo("tollway.dev/gateway-controller");
    assertThat(parsed.get(1)).isInstanceOf(Deployment.class);
  }

  @Test
  void shouldRefuseAMisspelledField() {
    // Given
    String yaml = DEPLOYMENT.replace("CONTAINERS_KEY", "contianers").replace("PORT", "8080");

    // Then
    assertThatThrownBy(() -> Manifests.parse(yaml, "test"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("fields the model does not know")
        .hasMessageContaining("contianers");
  }

  @Test
  void shouldRefuseAValueOfTheWrongType() {
    // Given a port that is not a number
    String yaml = DEPLOYMENT.replace("CONTAINERS_KEY", "containers").replace("PORT", "http");

    // Then
    assertThatThrownBy(() -> Manifests.parse(yaml, "test")).isInstanceOf(RuntimeException.class);
  }

  @Test
  void shouldRefuseAKindWithoutATypedModel() {
    // Given
    String yaml = """
        apiVersion: example.com/v1
        kind: Widget
        metadata:
          name: w
        """;

    // Then
    assertThatThrownBy(() -> Manifests.parse(yaml, "test"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("has no typed model");
  }

  @Test
  void shouldReadStrimziResourcesWithStrimzisModelAndRefuseUnknownFields() {
    // Given
    String topic = """
        apiVersion: kafka.strimzi.io/v1
        kind: KafkaTopic
        metadata:
          name: t
        spec:
          partitions: 3
          PARTITIONS_ALIAS: 3
        """;

    // When
    List<HasMetadata> parsed = Manifests.parse(topic.replace("  PARTITIONS_ALIAS: 3\n", ""), "test");

    // Then
    assertThat(parsed).singleElement().isInstanceOf(KafkaTopic.class);
    assertThat(((KafkaTopic) parsed.get(0)).getSpec().getPartitions()).isEqualTo(3);
    assertThatThrownBy(() -> Manifests.parse(topic.replace("PARTITIONS_ALIAS", "partition"), "test"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("partition");
  }
}
