package dev.tollway.deploy;

import static java.util.Objects.requireNonNull;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The charts and manifests of deploy/, and Helm (bundled by helm-java) to lint and render them in-process. */
final class Charts {

  /** The repository root: the tests run in deploy-tests/. */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path CONTROL_PLANE = ROOT.resolve("deploy/charts/tollway");
  static final Path CRDS = ROOT.resolve("deploy/charts/tollway-crds");
  static final Path STRIMZI = ROOT.resolve("deploy/strimzi");

  /** As the tutorial installs agentgateway: release agentgateway in agentgateway-system. */
  static final String RELEASE = "agentgateway";
  static final String NAMESPACE = "agentgateway-system";

  private static final Path KUBECONFIG = Path.of(requireNonNull(System.getenv("KUBECONFIG"),
      "KUBECONFIG (set by the deploy-tests POM for surefire)"));
  private static final Path WORK = KUBECONFIG.getParent().resolve("deploy-tests");

  private static FakeKubernetesApi api;

  private Charts() {}

  /** The in-process API server Helm's {@code lookup} talks to; started once for the whole run. */
  static synchronized FakeKubernetesApi api() {
    if (api == null) {
      FakeKubernetesApi started = new FakeKubernetesApi();
      try {
        started.writeKubeconfig(KUBECONFIG);
      } catch (IOException e) {
        started.close();
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "fake-kubernetes-api-stop"));
      api = started;
    }
    return api;
  }

  static LintResult lint(Path chart) {
    api();
    return new Helm(chart).lint().strict().call();
  }

  /** {@code helm template} of the chart as release {@link #RELEASE} in {@link #NAMESPACE}, with these values. */
  static String template(Path chart, String valuesYaml) {
    api();
    TemplateCommand command = new Helm(chart).template().withName(RELEASE).withNamespace(NAMESPACE);
    if (!valuesYaml.isBlank()) {
      command = command.withValuesFile(write(valuesYaml));
    }
    return command.call();
  }

  static List<HasMetadata> render(Path chart, String valuesYaml) {
    return Manifests.parse(template(chart, valuesYaml), chart.getFileName().toString());
  }

  static List<HasMetadata> strimziManifests() {
    try (var files = Files.list(STRIMZI)) {
      return files.filter(file -> file.getFileName().toString().endsWith(".yaml")).sorted()
          .flatMap(file -> Manifests.parse(read(file), ROOT.relativize(file).toString()).stream())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The resources of one kind and type. */
  static <T extends HasMetadata> List<T> ofType(List<HasMetadata> resources, Class<T> type) {
    return resources.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T one(List<HasMetadata> resources, Class<T> type, String name) {
    List<T> found = ofType(resources, type).stream().filter(r -> r.getMetadata().getName().equals(name)).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + " " + name + ", found " + found.size()
          + " among " + resources.stream().map(r -> r.getKind() + "/" + r.getMetadata().getName()).toList());
    }
    return found.get(0);
  }

  private static Path write(String valuesYaml) {
    try {
      Files.createDirectories(WORK);
      Path file = Files.createTempFile(WORK, "values-", ".yaml");
      Files.writeString(file, valuesYaml);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, String> env(io.fabric8.kubernetes.api.model.Container container) {
    Map<String, String> env = new java.util.TreeMap<>();
    container.getEnv().forEach(var -> env.put(var.getName(),
        var.getValue() != null ? var.getValue() : "<from " + describe(var.getValueFrom()) + ">"));
    return env;
  }

  private static String describe(io.fabric8.kubernetes.api.model.EnvVarSource source) {
    if (source != null && source.getSecretKeyRef() != null) {
      return "secret " + source.getSecretKeyRef().getName() + "/" + source.getSecretKeyRef().getKey();
    }
    return String.valueOf(source);
  }
}
