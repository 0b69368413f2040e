package dev.tollway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollway.e2e.support.KafkaFixture;
import dev.tollway.e2e.support.MockKubernetes;
import dev.tollway.local.LocalOptions;
import dev.tollway.local.LocalStack;
import dev.tollway.local.fake.FakeProviderServer;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ./tollway local --kubernetes}: the local stack with a cluster as its config source (here fabric8's mock API
 * server standing in for the current kubeconfig context). Routes come from the cluster and status is written back
 * to it; no proxy Deployment is created, since the local JVM is the proxy.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class LocalKubernetesIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension
  static final KafkaFixture KAFKA = new KafkaFixture();

  static KubernetesClient client;
  static KubernetesMockServer server;

  @Test
  void shouldRouteWhatTheClusterSaysAndWriteStatusBackWithoutDeployingProxies() throws Exception {
    // Given the tutorial's resources in the cluster, and a fake Gemini
    MockKubernetes.installCrds(client);
    try (FakeProviderServer fake = FakeProviderServer.start()) {
      MockKubernetes.apply(client, MockKubernetes.resource("kubernetes/01-gateway.yaml", Map.of()));
      MockKubernetes.apply(client, MockKubernetes.secret("default", "gemini-secret", Map.of("Authorization", "k")));
      MockKubernetes.apply(client, MockKubernetes.resource("kubernetes/llm/gemini/02-backend-gemini.yaml",
          Map.of("FAKE_PROVIDER_PORT", String.valueOf(fake.port()))));
      MockKubernetes.apply(client, MockKubernetes.resource("kubernetes/llm/04-httproute-gemini.yaml", Map.of()));
      Path data = Files.createTempDirectory("tollway-local-k8s");

      // When ./tollway local --kubernetes starts (on the fixture's broker)
      LocalOptions options = new LocalOptions(null, Map.of(80, 0), "127.0.0.1", 0, 0, data, null,
          KAFKA.bootstrapServers(), true);
      try (LocalStack stack = LocalStack.start(options, Map.of(), Clock.systemUTC(), cycle -> { },
          () -> server.createClient())) {

        // Then the tutorial's curl is served locally
        await().atMost(WAIT).until(() -> stack.edgeProxy().localPort(80).isPresent());
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create("http://127.0.0.1:" + stack.edgeProxy().localPort(80).orElseThrow()
            + "/ai/gemini/v1/chat/completions");
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(http.send(HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
            .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200));
        // and the route's status is written back to the cluster
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(client.resources(HTTPRoute.class)
            .inNamespace("default").withName("llm-route").get().getStatus().getParents()).singleElement()
            .satisfies(p -> assertThat(p.getConditions().toString()).contains("type=Accepted", "status=True")));
        // and no proxy was deployed
        assertThat(client.apps().deployments().inAnyNamespace().list().getItems()).isEmpty();
        assertThat(client.services().inAnyNamespace().list().getItems()).isEmpty();
        await().atMost(WAIT).until(stack::isReady);
      }
    }
  }
}
