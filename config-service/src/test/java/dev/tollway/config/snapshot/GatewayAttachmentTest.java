package dev.tollway.config.snapshot;

import static dev.tollway.config.snapshot.Fixtures.GATEWAY_ALL;
import static dev.tollway.config.snapshot.Fixtures.compile;
import static dev.tollway.config.snapshot.Fixtures.parentCondition;
import static dev.tollway.config.snapshot.Fixtures.route;
import static dev.tollway.config.snapshot.Fixtures.snapshot;
import static dev.tollway.config.snapshot.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.config.Manifests;
import dev.tollway.config.status.Condition;
import dev.tollway.config.status.ConditionStatus;
import dev.tollway.config.status.ListenerStatus;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.Listener;
import org.junit.jupiter.api.Test;

/** Gateways, their listeners, ownership, and how routes attach to them. */
class GatewayAttachmentTest {

  private static final String GATEWAY_TWO_LISTENERS = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata: {name: gw, namespace: infra}
      spec:
        gatewayClassName: agentgateway
        listeners:
        - name: internal
          protocol: HTTP
          port: 8080
          hostname: '*.internal.example.com'
        - name: public
          protocol: HTTP
          port: 80
          allowedRoutes:
            namespaces:
              from: Selector
              selector:
                matchLabels: {expose: "true"}
      """;

  private static String routeTo(String name, String namespace, String parentRef, String hostnames) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: %s}
        spec:
          hostnames: %s
          parentRefs: [%s]
          rules: [{}]
        """.formatted(name, namespace, hostnames, parentRef);
  }

  @Test
  void shouldOnlyAdmitRoutesFromTheGatewayNamespaceByDefault() {
    // Given the internal listener (from: Same) and routes in infra and in team
    String same = routeTo("same", "infra", "{name: gw, sectionName: internal}", "[]");
    String other = routeTo("other", "team", "{name: gw, namespace: infra, sectionName: internal}", "[]");

    // When
    CompileResult result = compile(GATEWAY_TWO_LISTENERS, same, other);

    // Then
    assertThat(parentCondition(result, "infra/same", "infra/gw", "Accepted").status()).isEqualTo(ConditionStatus.True);
    Condition refused = parentCondition(result, "team/other", "infra/gw", "Accepted");
    assertThat(refused.reason()).isEqualTo("NotAllowedByListeners");
    assertThat(refused.message()).isEqualTo("listener internal: routes from namespace team are not allowed "
        + "(allowedRoutes.namespaces.from: Same)");
    assertThat(snapshot(result, "infra/gw").routes()).extracting(e -> e.route()).containsExactly("infra/same");
  }

  @Test
  void shouldRefuseSelectorListenersWhenTheSourceHasNoNamespacesAndUseLabelsWhenItHas() {
    // Given a route for the public listener (from: Selector)
    String r = routeTo("pub", "team", "{name: gw, namespace: infra, sectionName: public}", "[]");
    String exposed = "apiVersion: v1\nkind: Namespace\nmetadata: {name: team, labels: {expose: 'true'}}\n";
    String hidden = "apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n";

    // When / Then: no Namespace objects at all
    assertThat(parentCondition(compile(GATEWAY_TWO_LISTENERS, r), "team/pub", "infra/gw", "Accepted").message())
        .isEqualTo("listener public: allowedRoutes.namespaces.from: Selector needs Namespace labels, and this "
            + "source provides no Namespace objects");
    // labels match
    assertThat(parentCondition(compile(GATEWAY_TWO_LISTENERS, r, exposed), "team/pub", "infra/gw", "Accepted")
        .status()).isEqualTo(ConditionStatus.True);
    // labels do not match
    assertThat(parentCondition(compile(GATEWAY_TWO_LISTENERS, r, hidden), "team/pub", "infra/gw", "Accepted")
        .message()).isEqualTo("listener public: namespace team does not match allowedRoutes.namespaces.selector");
  }

  @Test
  void shouldIntersectHostnamesAndRefuseRoutesMatchingNoListenerHostname() {
    // Given routes for the internal listener (*.internal.example.com)
    String matching = routeTo("m", "infra", "{name: gw, port: 8080}", "[a.internal.example.com, other.org]");
    String none = routeTo("n", "infra", "{name: gw, sectionName: internal}", "[other.org]");
    String any = routeTo("any", "infra", "{name: gw, sectionName: internal}", "[]");

    // When
    CompileResult result = compile(GATEWAY_TWO_LISTENERS, matching, none, any);

    // Then
    GatewaySnapshot snapshot = snapshot(result, "infra/gw");
    assertThat(snapshot.routes()).extracting(e -> e.route(), e -> e.hostnames()).containsExactly(
        org.assertj.core.groups.Tuple.tuple("infra/m", java.util.List.of("a.internal.example.com")),
        org.assertj.core.groups.Tuple.tuple("infra/any", java.util.List.of("*.internal.example.com")));
    assertThat(parentCondition(result, "infra/n", "infra/gw", "Accepted").reason())
        .isEqualTo("NoMatchingListenerHostname");
    assertThat(status(result, "Gateway", "infra/gw").listeners()).extracting(ListenerStatus::name,
        ListenerStatus::attachedRoutes).containsExactly(
            org.assertj.core.groups.Tuple.tuple("internal", 2), org.assertj.core.groups.Tuple.tuple("public", 0));
  }

  @Test
  void shouldReportParentsThatMatchNothing() {
    // Given
    String badSection = routeTo("s", "infra", "{name: gw, sectionName: nope}", "[]");
    String badPort = routeTo("p", "infra", "{name: gw, port: 9999}", "[]");
    String missing = routeTo("g", "infra", "{name: ghost}", "[]");

    // When
    CompileResult result = compile(GATEWAY_TWO_LISTENERS, badSection, badPort, missing);

    // Then
    assertThat(parentCondition(result, "infra/s", "infra/gw", "Accepted").message())
        .isEqualTo("Gateway infra/gw has no listener named nope");
    assertThat(parentCondition(result, "infra/p", "infra/gw", "Accepted").message())
        .isEqualTo("Gateway infra/gw has no listener on port 9999");
    assertThat(parentCondition(result, "infra/g", "infra/ghost", "Accepted").message())
        .isEqualTo("Gateway infra/ghost not found");
  }

  @Test
  void shouldIgnoreGatewaysOfOtherControllers() {
    // Given a Gateway of another class, and a GatewayClass "agentgateway" owned by someone else
    String otherClass = GATEWAY_ALL.replace("gatewayClassName: tollway", "gatewayClassName: istio");
    String agentgateway = GATEWAY_ALL.replace("gatewayClassName: tollway", "gatewayClassName: agentgateway")
        .replace("name: gw", "name: agw");
    String foreignClass = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: agentgateway}
        spec: {controllerName: agentgateway.dev/agentgateway}
        """;
    String r = route("r", "default", "- {}\n");

    // When
    CompileResult result = compile(otherClass, agentgateway, foreignClass, r);

    // Then nothing is compiled, and no status is written for the foreign parent
    assertThat(result.snapshots()).isEmpty();
    assertThat(result.statuses()).isEmpty();
  }

  @Test
  void shouldOwnGatewaysOfAGatewayClassWithTollwaysControllerName() {
    // Given
    String ownClass = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: GatewayClass
        metadata: {name: llm}
        spec: {controllerName: tollway.dev/gateway-controller}
        """;
    String gateway = GATEWAY_ALL.replace("gatewayClassName: tollway", "gatewayClassName: llm");

    // When
    CompileResult result = compile(ownClass, gateway);

    // Then
    assertThat(snapshot(result, "default/gw").gatewayClass()).isEqualTo("llm");
    assertThat(status(result, "GatewayClass", "llm").condition("Accepted")).get()
        .extracting(Condition::status).isEqualTo(ConditionStatus.True);
  }

  @Test
  void shouldServeHttpsWithTheSealedKeyAndLeaveOutUnsupportedOrBrokenListeners() {
    // Given an HTTPS listener with a TLS Secret, one with a missing Secret, and a TCP listener
    String gateway = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: tls, namespace: default}
        spec:
          gatewayClassName: tollway
          listeners:
          - name: https
            protocol: HTTPS
            port: 443
            hostname: llm.example.com
            tls: {certificateRefs: [{name: llm-cert}]}
          - name: broken
            protocol: HTTPS
            port: 443
            hostname: other.example.com
            tls: {certificateRefs: [{name: missing-cert}]}
          - name: tcp
            protocol: TCP
            port: 9000
        """;
    String cert = """
        apiVersion: v1
        kind: Secret
        metadata: {name: llm-cert}
        type: kubernetes.io/tls
        stringData:
          tls.crt: "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n"
          tls.key: "-----BEGIN PRIVATE KEY-----\\nsecret-key-material\\n-----END PRIVATE KEY-----\\n"
        """;

    // When
    CompileResult result = compile(gateway, cert);

    // Then only the valid HTTPS listener is served, its private key sealed
    GatewaySnapshot snapshot = snapshot(result, "default/tls");
    assertThat(snapshot.listeners()).extracting(Listener::name).containsExactly("https");
    Listener.ListenerTls tls = snapshot.listeners().get(0).tls();
    assertThat(tls.certificateChain()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Manifests.cipher().open("default/tls", tls.privateKey())).contains("secret-key-material");
    assertThat(dev.tollway.schemas.serde.Json.toString(snapshot)).doesNotContain("secret-key-material");
    // and the others carry listener conditions
    var listeners = status(result, "Gateway", "default/tls").listeners();
    assertThat(listeners.get(1).conditions()).filteredOn(c -> c.type().equals("ResolvedRefs")).singleElement()
        .satisfies(c -> {
          assertThat(c.reason()).isEqualTo("InvalidCertificateRef");
          assertThat(c.message()).isEqualTo("Secret default/missing-cert not found");
        });
    assertThat(listeners.get(2).conditions()).filteredOn(c -> c.type().equals("Accepted")).singleElement()
        .satisfies(c -> assertThat(c.reason()).isEqualTo("UnsupportedProtocol"));
    assertThat(status(result, "Gateway", "default/tls").condition("Accepted")).get()
        .extracting(Condition::message).isEqualTo("1 of 3 listeners served");
  }

  @Test
  void shouldMarkListenersThatShareAPortWithDifferentProtocolsAsConflicted() {
    // Given
    String gateway = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: clash, namespace: default}
        spec:
          gatewayClassName: tollway
          listeners:
          - {name: a, protocol: HTTP, port: 80}
          - {name: b, protocol: HTTPS, port: 80, tls: {certificateRefs: [{name: c}]}}
          - {name: c, protocol: HTTP, port: 81}
        """;
    String cert = "apiVersion: v1\nkind: Secret\nmetadata: {name: c}\nstringData: {tls.crt: x, tls.key: y}\n";

    // When
    CompileResult result = compile(gateway, cert);

    // Then
    assertThat(snapshot(result, "default/clash").listeners()).extracting(Listener::name).containsExactly("c");
    assertThat(status(result, "Gateway", "default/clash").listeners().get(0).conditions())
        .filteredOn(c -> c.type().equals("Conflicted")).singleElement()
        .satisfies(c -> {
          assertThat(c.status()).isEqualTo(ConditionStatus.True);
          assertThat(c.reason()).isEqualTo("ProtocolConflict");
        });
  }
}
