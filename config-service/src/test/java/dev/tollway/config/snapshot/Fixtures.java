package dev.tollway.config.snapshot;

import dev.tollway.config.Manifests;
import dev.tollway.config.model.ClusterState;
import dev.tollway.config.status.Condition;
import dev.tollway.config.status.ResourceStatus;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/** YAML building blocks and lookups shared by the compiler tests. */
final class Fixtures {

  static final String GATEWAY_ALL = """
      apiVersion: gateway.networking.k8s.io/v1
      kind: Gateway
      metadata:
        name: gw
        namespace: default
      spec:
        gatewayClassName: tollway
        listeners:
        - name: http
          protocol: HTTP
          port: 80
          allowedRoutes:
            namespaces:
              from: All
      """;

  static final String BACKEND_OPENAI = """
      apiVersion: agentgateway.dev/v1alpha1
      kind: AgentgatewayBackend
      metadata:
        name: openai
        namespace: default
      spec:
        ai:
          provider:
            openai:
              model: gpt-4o-mini
        policies:
          auth:
            key: sk-inline-test
      """;

  private Fixtures() {}

  static ClusterState state(String... documents) {
    List<HasMetadata> resources = new ArrayList<>();
    for (String document : documents) {
      resources.addAll(Manifests.yaml(document));
    }
    return Manifests.state(resources);
  }

  static CompileResult compile(String... documents) {
    return new SnapshotCompiler(Manifests.cipher()).compile(state(documents));
  }

  static GatewaySnapshot snapshot(CompileResult result, String gateway) {
    GatewaySnapshot snapshot = result.snapshots().get(gateway);
    if (snapshot == null) {
      throw new AssertionError("no snapshot for " + gateway + "; have " + result.snapshots().keySet());
    }
    return snapshot;
  }

  static ResourceStatus status(CompileResult result, String kind, String key) {
    return SeedManifestsTest.status(result, kind, key);
  }

  /** The condition of the given type on the route's status for the given parent Gateway. */
  static Condition parentCondition(CompileResult result, String route, String gateway, String type) {
    return status(result, "HTTPRoute", route).parent(gateway)
        .orElseThrow(() -> new AssertionError("no parent " + gateway + " on " + route))
        .conditions().stream().filter(c -> c.type().equals(type)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " on " + route + " for " + gateway));
  }

  /** A top-level condition. */
  static Condition condition(CompileResult result, String kind, String key, String type) {
    return status(result, kind, key).condition(type)
        .orElseThrow(() -> new AssertionError("no " + type + " on " + kind + " " + key));
  }

  /** An HTTPRoute in {@code default} attached to {@code default/gw} with the given rules (YAML list items). */
  static String route(String name, String namespace, String rulesYaml) {
    return """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: %s
          namespace: %s
        spec:
          parentRefs:
          - name: gw
            namespace: default
          rules:
        %s
        """.formatted(name, namespace, rulesYaml.indent(2).stripTrailing());
  }
}
