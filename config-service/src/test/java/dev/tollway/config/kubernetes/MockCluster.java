package dev.tollway.config.kubernetes;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tollway.config.Manifests;
import dev.tollway.config.model.ClusterState;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.util.ArrayList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Test support for fabric8's mock API server in CRUD mode: the CRDs registered (the Gateway API kinds built here,
 * the project's own read from {@code deploy/charts/tollway-crds/templates}) so that the status subresource
 * works, and {@code kubectl apply}-like helpers.
 */
public final class MockCluster {

  /** The project's CRD files, relative to the config-service module. */
  public static final Path CRDS = Path.of("..", "deploy", "charts", "tollway-crds", "templates");

  private static final java.util.Set<String> CLUSTER_SCOPED =
      java.util.Set.of("GatewayClass", "Namespace", "CustomResourceDefinition");

  private MockCluster() {}

  public static void installCrds(KubernetesClient client) {
    for (CustomResourceDefinition crd : gatewayApiCrds()) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
    for (CustomResourceDefinition crd : projectCrds()) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
  }

  /** The project's CRDs, parsed from the files the CRDs chart ships. */
  public static List<CustomResourceDefinition> projectCrds() {
    try (Stream<Path> files = Files.list(CRDS)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().map(f -> {
        try {
          return Manifests.SERIALIZATION.unmarshal(Files.readString(f, UTF_8), CustomResourceDefinition.class);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Minimal Gateway API CRDs (no schema: the mock validates nothing), each with the status subresource. */
  static List<CustomResourceDefinition> gatewayApiCrds() {
    return List.of(
        crd("GatewayClass", "gatewayclasses", "v1", false),
        crd("Gateway", "gateways", "v1", true),
        crd("HTTPRoute", "httproutes", "v1", true),
        crd("ReferenceGrant", "referencegrants", "v1beta1", true));
  }

  private static CustomResourceDefinition crd(String kind, String plural, String version, boolean namespaced) {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName(plural + ".gateway.networking.k8s.io").endMetadata()
        .withNewSpec().withGroup("gateway.networking.k8s.io").withScope(namespaced ? "Namespaced" : "Cluster")
        .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase(Locale.ROOT)).endNames()
        .addNewVersion().withName(version).withServed(true).withStorage(true)
        .withNewSubresources().withNewStatus().endStatus().endSubresources()
        .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema().endSchema()
        .endVersion().endSpec().build();
  }

  /** {@code kubectl apply} of one object: created, or its spec replaced. */
  public static <T extends HasMetadata> T apply(KubernetesClient client, T resource) {
    if (resource.getMetadata().getNamespace() == null && !CLUSTER_SCOPED.contains(resource.getKind())) {
      resource.getMetadata().setNamespace("default"); // as kubectl apply with the default context namespace
    }
    return client.resource(resource).createOr(NonDeletingOperation::update);
  }

  /** {@code kubectl apply -f} of a YAML text (one or more documents). */
  public static List<HasMetadata> apply(KubernetesClient client, String yaml) {
    return Manifests.yaml(yaml).stream().map(r -> apply(client, r)).toList();
  }

  /** Everything the compiler reads, listed from the API (what the informer caches hold once synced). */
  public static ClusterState state(KubernetesClient client) {
    ClusterState.Builder state = ClusterState.builder();
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(client.resources(GatewayClass.class).list().getItems());
    all.addAll(client.resources(Gateway.class).inAnyNamespace().list().getItems());
    all.addAll(client.resources(HTTPRoute.class).inAnyNamespace().list().getItems());
    all.addAll(client.resources(ReferenceGrant.class).inAnyNamespace().list().getItems());
    all.addAll(client.secrets().inAnyNamespace().list().getItems());
    all.addAll(client.services().inAnyNamespace().list().getItems());
    all.addAll(client.namespaces().list().getItems());
    for (var context : List.of(AgentgatewayKinds.BACKEND, AgentgatewayKinds.POLICY)) {
      for (GenericKubernetesResource r : client.genericKubernetesResources(context).inAnyNamespace().list().getItems()) {
        r.setApiVersion(AgentgatewayKinds.API_VERSION);
        r.setKind(context.getKind());
        all.add(r);
      }
    }
    all.forEach(state::add);
    return state.build();
  }

  /** A Secret with its values in {@code data} (the mock does not convert {@code stringData}). */
  public static Secret secret(String namespace, String name, Map<String, String> values) {
    SecretBuilder secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withType("Opaque");
    values.forEach((k, v) -> secret.addToData(k, Base64.getEncoder().encodeToString(v.getBytes(UTF_8))));
    return secret.build();
  }
}
