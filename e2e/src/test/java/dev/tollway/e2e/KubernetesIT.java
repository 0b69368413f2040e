package dev.tollway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollway.config.ConfigService;
import dev.tollway.config.ConfigServiceConfig;
import dev.tollway.config.PublishCycle;
import dev.tollway.config.kubernetes.AgentgatewayKinds;
import dev.tollway.config.publish.KafkaClients;
import dev.tollway.e2e.support.KafkaFixture;
import dev.tollway.e2e.support.MockKubernetes;
import dev.tollway.e2e.support.TollwayStack;
import dev.tollway.e2e.support.TopicReader;
import dev.tollway.edge.EdgeProxy;
import dev.tollway.edge.EdgeProxyConfig;
import dev.tollway.local.fake.FakeProviderServer;
import dev.tollway.local.fake.RecordedRequest;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tutorial on Kubernetes: its manifests applied, as they are, to fabric8's mock API server (CRUD mode, the
 * Gateway API and project CRDs registered), config-service on the Kubernetes API (informers, status,
 * provisioning, leader election) publishing to the embedded broker, the real edge-proxy serving
 * {@code default/agentgateway}, and the fake providers answering. After each step: the snapshot on the topic, the
 * proxy's routing, the status conditions, the Deployment and the Service.
 */
@EnableKubernetesMockClient(crud = true, https = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesIT {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesIT.class);
  private static final String GATEWAY = "default/agentgateway";
  private static final String CONTROLLER = "tollway.dev/gateway-controller";
  private static final String BODY =
      "{\"messages\": [{\"role\": \"user\", \"content\": \"What is Kubernetes in one sentence?\"}]}";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String KEY = Base64.getEncoder().encodeToString(
      "kubernetes-it-0123456789abcdefgh".getBytes(StandardCharsets.US_ASCII));

  @RegisterExtension
  static final KafkaFixture KAFKA = new KafkaFixture();

  static KubernetesClient client;

  private FakeProviderServer fake;
  private EdgeProxy proxy;
  private final List<ConfigService> configServices = new CopyOnWriteArrayList<>();
  private final Map<String, List<PublishCycle>> cycles = new HashMap<>();

  @BeforeAll
  void start() {
    MockKubernetes.installCrds(client);
    fake = FakeProviderServer.start();
    SnapshotCipher cipher = SnapshotCipher.fromBase64(KEY);
    proxy = new EdgeProxy(EdgeProxyConfig.fromEnv(Map.of(
        "TOLLWAY_KAFKA_BOOTSTRAP", KAFKA.bootstrapServers(),
        "TOLLWAY_GATEWAY", GATEWAY,
        "TOLLWAY_BIND_ADDRESS", "127.0.0.1",
        "TOLLWAY_PORT_MAP", "80=0",
        "TOLLWAY_ADMIN_PORT", "0")), cipher, Clock.systemUTC());
    proxy.start();
    startConfigService("config-service-0");
  }

  /** config-service as the control-plane chart runs it: Kubernetes source, provisioning, leader election. */
  private ConfigService startConfigService(String identity) {
    ConfigServiceConfig config = ConfigServiceConfig.fromEnv(Map.ofEntries(
        Map.entry("TOLLWAY_KAFKA_BOOTSTRAP", KAFKA.bootstrapServers()),
        Map.entry("TOLLWAY_CONFIG_SOURCE", "kubernetes"),
        Map.entry("TOLLWAY_SNAPSHOT_KEY", KEY),
        Map.entry("TOLLWAY_PROXY_IMAGE", "registry.example.com/tollway/edge-proxy:0.1.0"),
        Map.entry("TOLLWAY_TOPICS", "create"),
        Map.entry("TOLLWAY_TOPIC_REPLICATION", "1"),
        Map.entry("TOLLWAY_LEADER_ELECTION_IDENTITY", identity),
        Map.entry("TOLLWAY_LEADER_ELECTION_NAMESPACE", "tollway-system"),
        Map.entry("TOLLWAY_LEADER_ELECTION_LEASE_DURATION", "8s"),
        Map.entry("TOLLWAY_LEADER_ELECTION_RENEW_DEADLINE", "6s"),
        Map.entry("TOLLWAY_LEADER_ELECTION_RETRY_PERIOD", "500ms")));
    ConfigService service = ConfigService.kubernetes(config, SnapshotCipher.fromBase64(KEY), Clock.systemUTC(),
        client, KafkaClients.kafka());
    List<PublishCycle> seen = new CopyOnWriteArrayList<>();
    cycles.put(identity, seen);
    service.addListener(seen::add);
    configServices.add(service);
    service.start();
    return service;
  }

  @AfterAll
  void stop() {
    configServices.forEach(ConfigService::close);
    if (proxy != null) {
      proxy.close();
    }
    if (fake != null) {
      fake.close();
    }
  }

  @Test
  @Order(1)
  void theChartsGatewayClassShouldBeAccepted() {
    // When the control-plane chart's GatewayClass is applied
    MockKubernetes.apply(client, """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: agentgateway}
        spec: {controllerName: tollway.dev/gateway-controller}
        """);

    // Then config-service accepts it (kubectl get gatewayclass: ACCEPTED True)
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(condition(
        client.resources(GatewayClass.class).withName("agentgateway").get().getStatus().getConditions(), "Accepted")
        .getStatus()).isEqualTo("True"));
  }

  @Test
  @Order(2)
  void step01GatewayShouldGetASnapshotItsProxiesAndItsStatus() {
    // When 01-gateway.yaml is applied
    MockKubernetes.apply(client, text("kubernetes/01-gateway.yaml"));

    // Then its snapshot is on the topic: listener http:80, no route yet
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(snapshot()).hasValueSatisfying(s -> {
      assertThat(s.listeners()).extracting(l -> l.name() + ":" + l.port()).containsExactly("http:80");
      assertThat(s.routes()).isEmpty();
    }));
    // and the proxy bound the listener; with no route it answers 404
    assertThat(post("/v1/chat/completions").statusCode()).isEqualTo(404);
    // and a Deployment and a Service named after the Gateway (kubectl port-forward svc/agentgateway 8080:80)
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      Deployment deployment = client.apps().deployments().inNamespace("default").withName("agentgateway").get();
      assertThat(deployment).isNotNull();
      assertThat(deployment.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getKind() + "/" + o.getName()).isEqualTo("Gateway/agentgateway"));
      assertThat(env(deployment, "TOLLWAY_GATEWAY")).isEqualTo(GATEWAY);
      assertThat(env(deployment, "TOLLWAY_KAFKA_BOOTSTRAP")).isEqualTo(KAFKA.bootstrapServers());
      Service service = service();
      assertThat(service.getSpec().getPorts()).singleElement()
          .satisfies(p -> assertThat(p.getPort() + "->" + p.getTargetPort().getIntVal()).isEqualTo("80->8080"));
    });
    // and, once the load balancer has an address, the Gateway is accepted, programmed, with that address
    Service service = service();
    service.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder().withNewLoadBalancer()
        .addNewIngress().withIp("203.0.113.10").endIngress().endLoadBalancer().build());
    client.resource(service).updateStatus();
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      Gateway gateway = gateway();
      assertThat(condition(gateway.getStatus().getConditions(), "Accepted").getStatus()).isEqualTo("True");
      assertThat(condition(gateway.getStatus().getConditions(), "Programmed").getStatus()).isEqualTo("True");
      assertThat(gateway.getStatus().getAddresses()).singleElement()
          .satisfies(a -> assertThat(a.getType() + " " + a.getValue()).isEqualTo("IPAddress 203.0.113.10"));
      assertThat(gateway.getStatus().getListeners()).singleElement()
          .satisfies(l -> assertThat(l.getAttachedRoutes()).isZero());
    });
  }

  @Test
  @Order(3)
  void steps02And03ShouldSendTheTutorialsCurlToGemini() {
    // When the Gemini Secret, 02-backend-gemini.yaml and 03-httproute.yaml are applied
    MockKubernetes.apply(client, MockKubernetes.secret("default", "gemini-secret", Map.of("Authorization", "test-gemini-key")));
    MockKubernetes.apply(client, backend("kubernetes/llm/gemini/02-backend-gemini.yaml"));
    MockKubernetes.apply(client, text("kubernetes/llm/03-httproute.yaml"));

    // Then the catch-all route is on the topic, and the tutorial's curl reaches Gemini with the Secret's key
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(snapshot()).hasValueSatisfying(s ->
        assertThat(s.routes()).extracting(r -> r.match().path().value()).containsExactly("/")));
    awaitStatus("/v1/chat/completions", 200);
    RecordedRequest received = lastRequestTo("gemini");
    assertThat(received.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(received.header("x-goog-api-key")).hasValue("test-gemini-key");
    // and the backend, the route and the listener say so
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      assertThat(backendConditions("gemini")).contains("type=Accepted").contains("status=True");
      assertThat(parent(route("default", "llm-route"))).satisfies(p -> {
        assertThat(condition(p.getConditions(), "Accepted").getStatus()).isEqualTo("True");
        assertThat(condition(p.getConditions(), "ResolvedRefs").getStatus()).isEqualTo("True");
      });
      assertThat(gateway().getStatus().getListeners().get(0).getAttachedRoutes()).isEqualTo(1);
    });
  }

  @Test
  @Order(4)
  void step04ShouldRouteByPath() {
    // When 04-httproute-gemini.yaml replaces the route
    MockKubernetes.apply(client, text("kubernetes/llm/04-httproute-gemini.yaml"));

    // Then /ai/gemini serves (prefix stripped before Gemini) and the catch-all is gone
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(snapshot()).hasValueSatisfying(s ->
        assertThat(s.routes()).extracting(r -> r.match().path().value()).containsExactly("/ai/gemini")));
    awaitStatus("/ai/gemini/v1/chat/completions", 200);
    assertThat(lastRequestTo("gemini").path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(post("/v1/chat/completions").statusCode()).isEqualTo(404);
  }

  @Test
  @Order(5)
  void steps05And06ShouldAddClaude() {
    // When the Anthropic Secret, 05-backend-anthropic.yaml and 06-httproute-anthropic.yaml are applied
    MockKubernetes.apply(client, MockKubernetes.secret("default", "anthropic-secret",
        Map.of("Authorization", "test-anthropic-key")));
    MockKubernetes.apply(client, backend("kubernetes/llm/anthropic/05-backend-anthropic.yaml"));
    MockKubernetes.apply(client, text("kubernetes/llm/06-httproute-anthropic.yaml"));

    // Then both paths serve, each from its provider
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(snapshot()).hasValueSatisfying(s ->
        assertThat(s.routes()).extracting(r -> r.match().path().value()).containsExactly("/ai/claude", "/ai/gemini")));
    awaitStatus("/ai/claude/v1/chat/completions", 200);
    RecordedRequest received = lastRequestTo("anthropic");
    assertThat(received.path()).isEqualTo("/v1/messages");
    assertThat(received.header("x-api-key")).hasValue("test-anthropic-key");
    assertThat(post("/ai/gemini/v1/chat/completions").statusCode()).isEqualTo(200);
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      assertThat(backendConditions("anthropic")).contains("status=True");
      assertThat(condition(parent(route("default", "llm-route")).getConditions(), "ResolvedRefs").getStatus())
          .isEqualTo("True");
      assertThat(client.apps().deployments().inNamespace("default").withName("agentgateway").get()).isNotNull();
    });
  }

  @Test
  @Order(6)
  void aRouteToAMissingBackendShouldFailOnlyThatRule() {
    // When a route has a rule to a backend that does not exist, and one to Gemini
    MockKubernetes.apply(client, """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: half-broken, namespace: default}
        spec:
          parentRefs: [{name: agentgateway}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /ai/missing}}]
            backendRefs: [{name: does-not-exist, group: agentgateway.dev, kind: AgentgatewayBackend}]
          - matches: [{path: {type: PathPrefix, value: /ai/fine}}]
            filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}]
            backendRefs: [{name: gemini, group: agentgateway.dev, kind: AgentgatewayBackend}]
        """);

    // Then the route says ResolvedRefs=False BackendNotFound, naming the backend
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(condition(parent(route("default", "half-broken"))
        .getConditions(), "ResolvedRefs")).satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo("BackendNotFound");
          assertThat(c.getMessage()).contains("does-not-exist");
        }));
    // and its other rule, and every other route, keep serving
    awaitStatus("/ai/fine/v1/chat/completions", 200);
    assertThat(post("/ai/missing/v1/chat/completions").statusCode()).isEqualTo(500);
    assertThat(post("/ai/claude/v1/chat/completions").statusCode()).isEqualTo(200);
  }

  @Test
  @Order(7)
  void aCrossNamespaceBackendRefShouldNeedAReferenceGrant() {
    // When a route in team-a refers to the Gemini backend in default
    MockKubernetes.apply(client, """
        apiVersion: v1
        kind: Namespace
        metadata: {name: team-a}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: team-a-llm, namespace: team-a}
        spec:
          parentRefs: [{name: agentgateway, namespace: default}]
          rules:
          - matches: [{path: {type: PathPrefix, value: /team-a}}]
            filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}]
            backendRefs: [{name: gemini, namespace: default, group: agentgateway.dev, kind: AgentgatewayBackend}]
        """);

    // Then it is refused: RefNotPermitted, and requests get an error
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(condition(parent(route("team-a", "team-a-llm"))
        .getConditions(), "ResolvedRefs")).satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo("RefNotPermitted");
        }));
    awaitStatus("/team-a/v1/chat/completions", 500);

    // When default grants HTTPRoutes of team-a access to its backends
    MockKubernetes.apply(client, """
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: team-a-to-backends, namespace: default}
        spec:
          from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: team-a}]
          to: [{group: agentgateway.dev, kind: AgentgatewayBackend}]
        """);

    // Then the route is resolved and serves
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(condition(parent(route("team-a", "team-a-llm"))
        .getConditions(), "ResolvedRefs").getStatus()).isEqualTo("True"));
    awaitStatus("/team-a/v1/chat/completions", 200);
  }

  @Test
  @Order(8)
  void routeChangesShouldReachTheProxyQuicklyWith10And1000Routes() {
    for (int total : List.of(10, 1000)) {
      // Given that many routes on the Gateway
      createBenchRoutes(total);
      awaitStatus("/bench/" + (total - 1) + "/v1/chat/completions", 200);

      // When one route's path changes, then the time until the proxy serves the new path
      List<Long> millis = new ArrayList<>();
      for (int attempt = 0; attempt < 3; attempt++) {
        String path = "/moved-" + total + "-" + attempt;
        long start = movePath("bench-0", path);
        awaitStatus(path + "/v1/chat/completions", 200);
        millis.add((System.nanoTime() - start) / 1_000_000);
      }
      LOG.info("route change -> new routing in the proxy with {} routes: {} ms (3 changes)", total, millis);
      assertThat(millis).allMatch(ms -> ms < 30_000);
    }
    // the 1000 routes are removed again
    for (int i = 0; i < 1000; i++) {
      client.resources(HTTPRoute.class).inNamespace("default").withName("bench-" + i).delete();
    }
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(snapshot()).hasValueSatisfying(s ->
        assertThat(s.routes().size()).isLessThan(10)));
  }

  /**
   * Moves a route's first match to another path; read and written again when config-service wrote the route's
   * status in between (409 Conflict), as any client of the API must. Returns when the accepted write was sent.
   */
  private static long movePath(String name, String path) {
    AtomicLong sent = new AtomicLong();
    await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
        .ignoreExceptionsInstanceOf(KubernetesClientException.class).until(() -> {
          HTTPRoute route = route("default", name);
          route.getSpec().getRules().get(0).getMatches().get(0).getPath().setValue(path);
          sent.set(System.nanoTime());
          client.resource(route).update();
          return true;
        });
    return sent.get();
  }

  private void createBenchRoutes(int total) {
    for (int i = 0; i < total; i++) {
      if (client.resources(HTTPRoute.class).inNamespace("default").withName("bench-" + i).get() != null) {
        continue;
      }
      client.resource(new HTTPRouteBuilder()
          .withNewMetadata().withName("bench-" + i).withNamespace("default").endMetadata()
          .withNewSpec()
          .addNewParentRef().withName("agentgateway").endParentRef()
          .addNewRule()
          .addNewMatch().withNewPath().withType("PathPrefix").withValue("/bench/" + i).endPath().endMatch()
          .addNewFilter().withType("URLRewrite").withNewUrlRewrite().withNewPath().withType("ReplacePrefixMatch")
          .withReplacePrefixMatch("/").endPath().endUrlRewrite().endFilter()
          .addNewBackendRef().withGroup("agentgateway.dev").withKind("AgentgatewayBackend").withName("gemini")
          .endBackendRef()
          .endRule()
          .endSpec()
          .build()).create();
    }
  }

  @Test
  @Order(9)
  void withTwoConfigServicesOnlyTheLeaderShouldPublish() {
    // Given a second config-service next to the first, electing on the same Lease
    ConfigService first = configServices.get(0);
    ConfigService second = startConfigService("config-service-1");
    await().atMost(WAIT).until(second::isReady);

    // When a route changes
    MockKubernetes.apply(client, text("kubernetes/llm/06-httproute-anthropic.yaml").replace("/ai/claude", "/ai/claude-2"));
    awaitStatus("/ai/claude-2/v1/chat/completions", 200);

    // Then only the leader (the first) published; the follower ran no pass of its own (a pass is told to its
    // listeners after it has also written the resources' status, so the proxy can route before it is recorded)
    assertThat(first.isLeader()).isTrue();
    assertThat(second.isLeader()).isFalse();
    assertThat(cycles.get("config-service-1")).isEmpty();
    await().atMost(WAIT).untilAsserted(() -> assertThat(cycles.get("config-service-0"))
        .anySatisfy(c -> assertThat(c.publish().published()).contains(GATEWAY)));

    // When the leader stops, then the follower takes over and publishes the next change
    first.close();
    configServices.remove(first);
    await().atMost(WAIT).until(second::isLeader);
    MockKubernetes.apply(client, text("kubernetes/llm/06-httproute-anthropic.yaml"));
    awaitStatus("/ai/claude/v1/chat/completions", 200);
    await().atMost(WAIT).untilAsserted(() -> assertThat(cycles.get("config-service-1"))
        .anySatisfy(c -> assertThat(c.publish().published()).contains(GATEWAY)));
  }

  @Test
  @Order(10)
  void deletingTheGatewayShouldRemoveItsSnapshotAndItsProxies() {
    // When the Gateway is deleted
    client.resources(Gateway.class).inNamespace("default").withName("agentgateway").delete();

    // Then the topic holds a tombstone for it, and its Deployment, Service and Secret are gone
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
      assertThat(configTopic()).containsEntry(GATEWAY, null);
      assertThat(client.apps().deployments().inNamespace("default").withName("agentgateway").get()).isNull();
      assertThat(client.services().inNamespace("default").withName("agentgateway").get()).isNull();
      assertThat(client.secrets().inNamespace("default").withName("agentgateway-tollway-proxy").get()).isNull();
    });
    // and the proxy no longer serves it
    await().atMost(WAIT).until(() -> proxy.routingTable().gatewayKeys().isEmpty());
  }

  // ---- helpers ------------------------------------------------------------------------------------------

  private static String text(String path) {
    return MockKubernetes.resource(path, Map.of());
  }

  private String backend(String path) {
    return MockKubernetes.resource(path, Map.of("FAKE_PROVIDER_PORT", String.valueOf(fake.port())));
  }

  private Gateway gateway() {
    return client.resources(Gateway.class).inNamespace("default").withName("agentgateway").get();
  }

  private Service service() {
    return client.services().inNamespace("default").withName("agentgateway").get();
  }

  private static HTTPRoute route(String namespace, String name) {
    return client.resources(HTTPRoute.class).inNamespace(namespace).withName(name).get();
  }

  /** This controller's status entry of a route. */
  private static RouteParentStatus parent(HTTPRoute route) {
    assertThat(route.getStatus()).as("status of " + route.getMetadata().getName()).isNotNull();
    return route.getStatus().getParents().stream().filter(p -> CONTROLLER.equals(p.getControllerName())).findFirst()
        .orElseThrow(() -> new AssertionError("no status entry of " + CONTROLLER + " in " + route.getStatus()));
  }

  private static String backendConditions(String name) {
    GenericKubernetesResource backend = client.genericKubernetesResources(AgentgatewayKinds.BACKEND)
        .inNamespace("default").withName(name).get();
    Object status = backend.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> map ? String.valueOf(map.get("conditions")) : "";
  }

  private static Condition condition(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type + " in " + conditions));
  }

  private static String env(Deployment deployment, String name) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
  }

  /** What the config topic holds now, read from the beginning: the latest value per key, null for a tombstone. */
  private static Map<String, byte[]> configTopic() {
    try (TopicReader reader = new TopicReader(KAFKA, Topics.CONFIG.name())) {
      return reader.readToEnd();
    }
  }

  /** The Gateway's current snapshot on the topic (empty if none, or a tombstone). */
  private Optional<GatewaySnapshot> snapshot() {
    return Optional.ofNullable(configTopic().get(GATEWAY)).map(v -> Json.fromBytes(v, GatewaySnapshot.class));
  }

  private HttpResponse<String> awaitStatus(String path, int status) {
    AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
    await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
      last.set(post(path));
      assertThat(last.get().statusCode()).as(last.get().body()).isEqualTo(status);
    });
    return last.get();
  }

  private HttpResponse<String> post(String path) {
    await().atMost(WAIT).until(() -> proxy.localPort(80).isPresent());
    return TollwayStack.postJson("http://127.0.0.1:" + proxy.localPort(80).orElseThrow() + path, BODY);
  }

  private RecordedRequest lastRequestTo(String provider) {
    List<RecordedRequest> requests = fake.requests().stream().filter(r -> provider.equals(r.provider())).toList();
    assertThat(requests).as("requests received by the fake " + provider).isNotEmpty();
    return requests.get(requests.size() - 1);
  }
}
