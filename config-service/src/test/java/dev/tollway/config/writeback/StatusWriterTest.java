package dev.tollway.config.writeback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.config.Manifests;
import dev.tollway.config.kubernetes.AgentgatewayKinds;
import dev.tollway.config.kubernetes.MockCluster;
import dev.tollway.config.provision.ProvisionResult;
import dev.tollway.config.snapshot.SnapshotCompiler;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Status written back on fabric8's mock API server (CRUD mode, CRDs with the status subresource). */
@EnableKubernetesMockClient(crud = true, https = false)
class StatusWriterTest {

  static final String CONTROLLER = SnapshotCompiler.DEFAULT_CONTROLLER_NAME;
  static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  static final Instant T1 = Instant.parse("2026-11-26T11:00:00Z");

  KubernetesClient client;
  KubernetesMockServer server;
  private final SnapshotCompiler compiler = new SnapshotCompiler(Manifests.cipher());

  @BeforeEach
  void tutorial() {
    MockCluster.installCrds(client);
    MockCluster.apply(client, """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: agentgateway}
        spec: {controllerName: tollway.dev/gateway-controller}
        """);
    MockCluster.apply(client, Manifests.text("seed/01-gateway.yaml"));
    MockCluster.apply(client, MockCluster.secret("default", "gemini-secret", Map.of("Authorization", "g-key")));
    MockCluster.apply(client, Manifests.text("seed/llm/gemini/02-backend-gemini.yaml"));
    MockCluster.apply(client, Manifests.text("seed/llm/03-httproute.yaml"));
    MockCluster.apply(client, Manifests.text("seed/llm/anthropic/05-backend-anthropic.yaml")); // no Secret
  }

  private WriteResult writeAt(Instant now) {
    return writeAt(now, ProvisionResult.NONE);
  }

  private WriteResult writeAt(Instant now, ProvisionResult provisioning) {
    var state = MockCluster.state(client);
    return new StatusWriter(client, Clock.fixed(now, ZoneOffset.UTC), CONTROLLER)
        .write(state, compiler.compile(state), provisioning);
  }

  private HTTPRoute route() {
    return client.resources(HTTPRoute.class).inNamespace("default").withName("llm-route").get();
  }

  private Gateway gateway() {
    return client.resources(Gateway.class).inNamespace("default").withName("agentgateway").get();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> backendStatus(String name) {
    GenericKubernetesResource backend = client.genericKubernetesResources(AgentgatewayKinds.BACKEND)
        .inNamespace("default").withName(name).get();
    return (Map<String, Object>) backend.getAdditionalProperties().get("status");
  }

  private static Condition condition(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> c.getType().equals(type)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " in " + conditions));
  }

  @Test
  void shouldWriteGatewayApiConditionsWithGenerationsAndTransitionTimes() {
    // When the verdicts of the tutorial's resources are written
    WriteResult result = writeAt(T0);

    // Then the class, the Gateway, the route and both backends have their status
    assertThat(result.written()).isEqualTo(5);
    assertThat(result.ok()).isTrue();
    GatewayClass gatewayClass = client.resources(GatewayClass.class).withName("agentgateway").get();
    assertThat(condition(gatewayClass.getStatus().getConditions(), "Accepted"))
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"))
        .satisfies(c -> assertThat(c.getObservedGeneration()).isEqualTo(1L))
        .satisfies(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-26T10:00:00Z"));
    Gateway gateway = gateway();
    assertThat(condition(gateway.getStatus().getConditions(), "Accepted").getStatus()).isEqualTo("True");
    assertThat(condition(gateway.getStatus().getConditions(), "Programmed").getStatus()).isEqualTo("True");
    assertThat(gateway.getStatus().getListeners()).singleElement().satisfies(listener -> {
      assertThat(listener.getName()).isEqualTo("http");
      assertThat(listener.getAttachedRoutes()).isEqualTo(1);
      assertThat(listener.getSupportedKinds()).singleElement()
          .satisfies(k -> assertThat(k.getGroup() + "/" + k.getKind()).isEqualTo("gateway.networking.k8s.io/HTTPRoute"));
      assertThat(condition(listener.getConditions(), "Programmed").getStatus()).isEqualTo("True");
    });
    assertThat(route().getStatus().getParents()).singleElement().satisfies(parent -> {
      assertThat(parent.getControllerName()).isEqualTo(CONTROLLER);
      assertThat(parent.getParentRef().getName()).isEqualTo("agentgateway");
      assertThat(condition(parent.getConditions(), "Accepted").getStatus()).isEqualTo("True");
      assertThat(condition(parent.getConditions(), "ResolvedRefs").getStatus()).isEqualTo("True");
    });
    assertThat(backendStatus("gemini")).containsEntry("provider", "gemini");
    assertThat(backendStatus("gemini").get("conditions").toString()).contains("status=True", "type=Accepted");
    assertThat(backendStatus("anthropic").get("conditions").toString())
        .contains("status=False", "reason=SecretNotFound", "Secret default/anthropic-secret not found");
  }

  @Test
  void shouldWriteNothingWhenNothingChangedAndKeepTransitionTimesWhileAConditionHolds() {
    // Given the statuses written at T0
    writeAt(T0);
    String routeVersion = route().getMetadata().getResourceVersion();

    // When the same verdicts are written an hour later
    WriteResult again = writeAt(T1);

    // Then nothing is written
    assertThat(again.written()).isZero();
    assertThat(again.unchanged()).isEqualTo(5);
    assertThat(route().getMetadata().getResourceVersion()).isEqualTo(routeVersion);

    // When the route's spec changes (generation 2) but its verdict does not
    HTTPRoute changed = route();
    changed.getSpec().getRules().get(0).setTimeouts(null);
    changed.getMetadata().getLabels().put("team", "llm");
    changed.getSpec().getHostnames().add("llm.example.com");
    client.resource(changed).update();
    WriteResult later = writeAt(T1);

    // Then only the route is written: observedGeneration follows, the transition time stays T0
    assertThat(later.written()).isEqualTo(1);
    RouteParentStatus parent = route().getStatus().getParents().get(0);
    assertThat(condition(parent.getConditions(), "Accepted").getObservedGeneration()).isEqualTo(2L);
    assertThat(condition(parent.getConditions(), "Accepted").getLastTransitionTime())
        .isEqualTo("2026-11-26T10:00:00Z");
  }

  @Test
  void shouldTakeANewTransitionTimeWhenAConditionFlips() {
    // Given the anthropic backend refused at T0
    writeAt(T0);

    // When its Secret appears and the verdict is written at T1
    MockCluster.apply(client, MockCluster.secret("default", "anthropic-secret", Map.of("Authorization", "a-key")));
    writeAt(T1);

    // Then Accepted flipped to True at T1
    assertThat(backendStatus("anthropic").get("conditions").toString())
        .contains("status=True", "lastTransitionTime=2026-11-26T11:00:00Z");
  }

  @Test
  void shouldReadAgainAndRetryWhenTheStatusWriteConflicts() {
    // Given the API server answers the first status write of the route with 409 Conflict
    server.expect().put().withPath("/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/llm-route/status")
        .andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict")
            .withMessage("the object has been modified").build())
        .once();

    // When the statuses are written
    WriteResult result = writeAt(T0);

    // Then the route's write was retried on a fresh read and succeeded
    assertThat(result.conflicts()).isEqualTo(1);
    assertThat(result.ok()).isTrue();
    assertThat(route().getStatus().getParents()).singleElement()
        .satisfies(p -> assertThat(p.getControllerName()).isEqualTo(CONTROLLER));
  }

  @Test
  void shouldLeaveTheEntriesOfOtherControllersAlone() {
    // Given a Gateway of another controller, and a route whose status already has that controller's entry
    MockCluster.apply(client, """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: other}
        spec: {controllerName: example.com/other-controller}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: other-gateway, namespace: default}
        spec:
          gatewayClassName: other
          listeners: [{name: http, port: 80, protocol: HTTP}]
        """);
    HTTPRoute route = route();
    RouteParentStatus theirs = new RouteParentStatus(List.of(new io.fabric8.kubernetes.api.model.ConditionBuilder()
        .withType("Accepted").withStatus("True").withReason("Accepted").withMessage("theirs")
        .withLastTransitionTime("2026-01-01T00:00:00Z").withObservedGeneration(1L).build()),
        "example.com/other-controller",
        new ParentReferenceBuilder().withName("other-gateway").withNamespace("default").build());
    route.setStatus(new HTTPRouteStatusBuilder().withParents(theirs).build());
    client.resource(route).updateStatus();

    // When this controller writes its verdict
    writeAt(T0);

    // Then both entries are there, the other controller's unchanged
    List<RouteParentStatus> parents = route().getStatus().getParents();
    assertThat(parents).hasSize(2);
    assertThat(parents.get(0)).isEqualTo(theirs);
    assertThat(parents.get(1).getControllerName()).isEqualTo(CONTROLLER);

    // When the route names only the other controller's Gateway
    HTTPRoute detached = route();
    detached.getSpec().getParentRefs().get(0).setName("other-gateway");
    client.resource(detached).update();
    writeAt(T1);

    // Then this controller's entry is gone and the other's stays
    assertThat(route().getStatus().getParents()).containsExactly(theirs);
  }

  @Test
  void shouldReportProvisioningProblemsOnTheGateway() {
    // When provisioning found the Gateway's parameters invalid
    writeAt(T0, new ProvisionResult(List.of(), new TreeMap<>(Map.of("default/agentgateway",
        "AgentgatewayParameters default/p: spec.rawConfig: not supported by Tollway yet")), new TreeMap<>()));

    // Then the Gateway is not accepted and says why
    Condition accepted = condition(gateway().getStatus().getConditions(), "Accepted");
    assertThat(accepted.getStatus()).isEqualTo("False");
    assertThat(accepted.getReason()).isEqualTo("InvalidParameters");
    assertThat(accepted.getMessage()).contains("spec.rawConfig");
    assertThat(condition(gateway().getStatus().getConditions(), "Programmed").getStatus()).isEqualTo("False");
  }
}
