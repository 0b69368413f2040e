package dev.tollway.e2e.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * fabric8's mock API server (CRUD mode) made to look like a cluster with the tutorial's prerequisites: the Gateway
 * API CRDs (minimal, with the status subresource) and the project's CRDs from
 * {@code deploy/charts/tollway-crds/templates}, and {@code kubectl apply}-like helpers.
 */
public final class MockKubernetes {

  private static final Path CRDS = Path.of("..", "deploy", "charts", "tollway-crds", "templates");
  private static final Set<String> CLUSTER_SCOPED = Set.of("GatewayClass", "Namespace", "CustomResourceDefinition");

  private MockKubernetes() {}

  public static void installCrds(KubernetesClient client) {
    List<CustomResourceDefinition> crds = new ArrayList<>(List.of(
        gatewayApi("GatewayClass", "gatewayclasses", "v1", false),
        gatewayApi("Gateway", "gateways", "v1", true),
        gatewayApi("HTTPRoute", "httproutes", "v1", true),
        gatewayApi("ReferenceGrant", "referencegrants", "v1beta1", true)));
    try (Stream<Path> files = Files.list(CRDS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        crds.add(client.getKubernetesSerialization().unmarshal(Files.readString(file, UTF_8),
            CustomResourceDefinition.class));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    crds.forEach(crd -> client.apiextensions().v1().customResourceDefinitions().resource(crd).create());
  }

  private static CustomResourceDefinition gatewayApi(String kind, String plural, String version, boolean namespaced) {
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

  /** {@code kubectl apply -f} of a YAML text; a resource without a namespace goes to {@code default}. */
  public static List<HasMetadata> apply(KubernetesClient client, String yaml) {
    List<HasMetadata> applied = new ArrayList<>();
    Object parsed = client.getKubernetesSerialization().unmarshal(yaml);
    List<?> items = parsed instanceof List<?> list ? list : List.of(parsed);
    for (Object item : items) {
      applied.add(apply(client, (HasMetadata) item));
    }
    return applied;
  }

  public static <T extends HasMetadata> T apply(KubernetesClient client, T resource) {
    if (resource.getMetadata().getNamespace() == null && !CLUSTER_SCOPED.contains(resource.getKind())) {
      resource.getMetadata().setNamespace("default");
    }
    return client.resource(resource).createOr(NonDeletingOperation::update);
  }

  /** A classpath resource as text, with {@code ${NAME}} replaced from {@code variables}. */
  public static String resource(String path, Map<String, String> variables) {
    try (InputStream in = MockKubernetes.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + path);
      }
      String text = new String(in.readAllBytes(), UTF_8);
      for (Map.Entry<String, String> v : variables.entrySet()) {
        text = text.replace("${" + v.getKey() + "}", v.getValue());
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A Secret with {@code data} (the mock server does not convert {@code stringData}). */
  public static Secret secret(String namespace, String name, Map<String, String> values) {
    SecretBuilder secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withType("Opaque");
    values.forEach((k, v) -> secret.addToData(k, Base64.getEncoder().encodeToString(v.getBytes(UTF_8))));
    return secret.build();
  }
}
