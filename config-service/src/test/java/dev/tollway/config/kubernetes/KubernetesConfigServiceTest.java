package dev.tollway.config.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollway.config.ConfigService;
import dev.tollway.config.ConfigServiceConfig;
import dev.tollway.config.Manifests;
import dev.tollway.config.MockKafka;
import dev.tollway.config.PublishCycle;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * config-service on fabric8's mock API server: informers signal, one worker compiles the caches with the same
 * compiler as the folder source, publishes to Kafka's mock producer, provisions and writes status.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesConfigServiceTest {

  static final Duration WAIT = Duration.ofSeconds(20);
  static final String GATEWAY_CLASS = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: GatewayClass
      metadata: {name: agentgateway}
      spec: {controllerName: tollway.dev/gateway-controller}
      """;

  KubernetesClient client;
  private final List<ConfigService> services = new CopyOnWriteArrayList<>();

  @BeforeEach
  void crds() {
    MockCluster.installCrds(client);
  }

  @AfterEach
  void stop() {
    services.forEach(ConfigService::close);
  }

  static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>(Map.of(
        "TOLLWAY_KAFKA_BOOTSTRAP", "127.0.0.1:9",
        "TOLLWAY_CONFIG_SOURCE", "kubernetes",
        "TOLLWAY_SNAPSHOT_KEY", Manifests.KEY,
        "TOLLWAY_PROXY_IMAGE", "registry.example.com/tollway/edge-proxy:0.1.0",
        "TOLLWAY_LEADER_ELECTION", "false",
        "TOLLWAY_TOPICS", "none"));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  ConfigService start(MockKafka kafka, List<PublishCycle> cycles, String... env) {
    ConfigService service = ConfigService.kubernetes(ConfigServiceConfig.fromEnv(env(env)), Manifests.cipher(),
        Clock.systemUTC(), client, kafka);
    service.addListener(cycles::add);
    services.add(service);
    service.start();
    return service;
  }

  void applyTutorialSteps01To03() {
    MockCluster.apply(client, GATEWAY_CLASS);
    MockCluster.apply(client, Manifests.text("seed/01-gateway.yaml"));
    MockCluster.apply(client, MockCluster.secret("default", "gemini-secret", Map.of("Authorization", "g-key")));
    MockCluster.apply(client, Manifests.text("seed/llm/gemini/02-backend-gemini.yaml"));
    MockCluster.apply(client, Manifests.text("seed/llm/03-httproute.yaml"));
  }

  @Test
  void shouldCompileTheInformerCachesPublishProvisionAndWriteStatus() {
    // Given the tutorial's steps 01-03 in the cluster
    applyTutorialSteps01To03();
    MockKafka kafka = new MockKafka();
    List<PublishCycle> cycles = new CopyOnWriteArrayList<>();

    // When config-service starts on the Kubernetes API
    ConfigService service = start(kafka, cycles);

    // Then the catch-all route is published, the proxies are provisioned, and the route is accepted
    await().atMost(WAIT).until(service::isReady);
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(kafka.last("default/agentgateway").routes()).extracting(r -> r.match().path().value())
            .containsExactly("/"));
    await().atMost(WAIT).untilAsserted(() -> {
      Deployment deployment = client.apps().deployments().inNamespace("default").withName("agentgateway").get();
      assertThat(deployment).isNotNull();
      assertThat(client.services().inNamespace("default").withName("agentgateway").get()).isNotNull();
      HTTPRoute route = client.resources(HTTPRoute.class).inNamespace("default").withName("llm-route").get();
      assertThat(route.getStatus().getParents()).singleElement().satisfies(p -> assertThat(p.getConditions())
          .extracting(c -> c.getType() + "=" + c.getStatus())
          .contains("Accepted=True", "ResolvedRefs=True"));
      Gateway gateway = client.resources(Gateway.class).inNamespace("default").withName("agentgateway").get();
      assertThat(gateway.getStatus().getListeners()).singleElement()
          .satisfies(l -> assertThat(l.getAttachedRoutes()).isEqualTo(1));
    });

    // When step 04 replaces the route
    MockCluster.apply(client, Manifests.text("seed/llm/04-httproute-gemini.yaml"));

    // Then the new path is published
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(kafka.last("default/agentgateway").routes()).extracting(r -> r.match().path().value())
            .containsExactly("/ai/gemini"));
  }

  @Test
  void shouldPublishAndWriteNothingWhenAResyncFindsNothingChanged() {
    // Given config-service with informers that replay their caches every second, settled on the tutorial
    applyTutorialSteps01To03();
    MockKafka kafka = new MockKafka();
    List<PublishCycle> cycles = new CopyOnWriteArrayList<>();
    ConfigService service = start(kafka, cycles, "TOLLWAY_RESYNC_PERIOD", "1s");
    await().atMost(WAIT).until(() -> !cycles.isEmpty() && cycles.get(cycles.size() - 1).cluster().status().written() == 0
        && cycles.get(cycles.size() - 1).cluster().provisioning().changes().isEmpty());
    int records = kafka.records().size();
    int settled = cycles.size();

    // When several resyncs go by (each replays every cache, and so signals a pass)
    await().pollDelay(Duration.ofMillis(2500)).atMost(WAIT).until(() -> cycles.size() >= settled + 2);

    // Then they published nothing, wrote no status and provisioned nothing
    assertThat(kafka.records()).hasSize(records);
    assertThat(cycles.subList(settled, cycles.size())).allSatisfy(cycle -> {
      assertThat(cycle.publish().published()).isEmpty();
      assertThat(cycle.cluster().status().written()).isZero();
      assertThat(cycle.cluster().provisioning().changes()).isEmpty();
    });
    assertThat(service.isReady()).isTrue();
  }

  @Test
  void shouldReadOnlyTheWatchedNamespaces() {
    // Given the tutorial, and a route in another namespace (the listener admits routes from all namespaces)
    applyTutorialSteps01To03();
    MockCluster.apply(client, """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: elsewhere, namespace: team-b}
        spec:
          parentRefs: [{name: agentgateway, namespace: default}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /team-b}}]
            backendRefs: [{name: gemini, namespace: default, group: agentgateway.dev, kind: AgentgatewayBackend}]
        """);
    MockKafka kafka = new MockKafka();

    // When config-service watches only the namespace default
    ConfigService service = start(kafka, new CopyOnWriteArrayList<>(), "TOLLWAY_WATCH_NAMESPACES", "default");

    // Then only the route of default is published, and the other route gets no status
    await().atMost(WAIT).until(service::isReady);
    assertThat(kafka.last("default/agentgateway").routes()).extracting(r -> r.match().path().value())
        .containsExactly("/");
    HTTPRoute elsewhere = client.resources(HTTPRoute.class).inNamespace("team-b").withName("elsewhere").get();
    assertThat(elsewhere.getStatus() == null || elsewhere.getStatus().getParents().isEmpty()).isTrue();
  }

  @Test
  void shouldLetOnlyTheLeaderPublishAndHandOverWhenItStops() {
    // Given the tutorial and two config-service instances electing a leader on a Lease
    applyTutorialSteps01To03();
    MockKafka kafkaA = new MockKafka();
    MockKafka kafkaB = new MockKafka();
    String[] election = {"TOLLWAY_LEADER_ELECTION", "true", "TOLLWAY_LEADER_ELECTION_NAMESPACE", "default",
        "TOLLWAY_LEADER_ELECTION_LEASE_DURATION", "8s", "TOLLWAY_LEADER_ELECTION_RENEW_DEADLINE", "6s",
        "TOLLWAY_LEADER_ELECTION_RETRY_PERIOD", "500ms"};
    ConfigService a = start(kafkaA, new CopyOnWriteArrayList<>(), concat(election, "TOLLWAY_LEADER_ELECTION_IDENTITY", "a"));
    ConfigService b = start(kafkaB, new CopyOnWriteArrayList<>(), concat(election, "TOLLWAY_LEADER_ELECTION_IDENTITY", "b"));

    // When one of them has published
    await().atMost(WAIT).until(() -> !kafkaA.records().isEmpty() || !kafkaB.records().isEmpty());

    // Then it is the leader, and the follower has published nothing (and stays ready to take over)
    ConfigService leader = kafkaA.records().isEmpty() ? b : a;
    ConfigService follower = leader == a ? b : a;
    MockKafka followerKafka = leader == a ? kafkaB : kafkaA;
    assertThat(leader.isLeader()).isTrue();
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> followerKafka.records().isEmpty());
    assertThat(follower.isLeader()).isFalse();
    assertThat(follower.isReady()).isTrue();
    assertThat(follower.lastCycle()).isEmpty();

    // When the leader stops and the route changes
    leader.close();
    MockCluster.apply(client, Manifests.text("seed/llm/04-httproute-gemini.yaml"));

    // Then the former follower leads and publishes the change
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(followerKafka.last("default/agentgateway").routes()).extracting(r -> r.match().path().value())
            .containsExactly("/ai/gemini"));
    assertThat(follower.isLeader()).isTrue();
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
