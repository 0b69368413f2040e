package dev.tollway.config.provision;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.model.InvalidSpecException;
import dev.tollway.config.model.SpecReader;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The subset of {@code AgentgatewayParameters.spec} that Tollway applies to a Gateway's proxies (field names as
 * in agentgateway's CRD):
 *
 * <ul>
 *   <li>{@code image} — {@code registry}, {@code repository}, {@code tag}, {@code digest}, {@code pullPolicy},
 *       each overriding that part of {@code TOLLWAY_PROXY_IMAGE};
 *   <li>{@code resources} — the container's {@code requests} and {@code limits};
 *   <li>{@code env[]} — extra container variables ({@code name} with {@code value} or {@code valueFrom}),
 *       overriding ours of the same name;
 *   <li>{@code deployment.metadata.labels} / {@code .annotations}, {@code deployment.spec.replicas};
 *   <li>{@code service.metadata.labels} / {@code .annotations}, {@code service.spec.type}.
 * </ul>
 *
 * Anything else (other overlay fields, {@code rawConfig}, {@code logging}, {@code istio}, {@code shutdown},
 * {@code horizontalPodAutoscaler}, {@code podDisruptionBudget}, {@code serviceAccount}, ...) is refused with the
 * field's path, never silently ignored. Parameters of the {@code GatewayClass} apply first, the Gateway's second.
 */
public record ProxyParameters(
    Map<String, String> image,
    @Nullable Map<String, Object> resources,
    List<Map<String, Object>> env,
    SortedMap<String, String> deploymentLabels,
    SortedMap<String, String> deploymentAnnotations,
    @Nullable Integer replicas,
    SortedMap<String, String> serviceLabels,
    SortedMap<String, String> serviceAnnotations,
    @Nullable String serviceType) {

  private static final Set<String> SPEC_FIELDS = Set.of("image", "resources", "env", "deployment", "service");
  private static final Set<String> IMAGE_FIELDS = Set.of("registry", "repository", "tag", "digest", "pullPolicy");
  private static final Set<String> RESOURCE_FIELDS = Set.of("requests", "limits");
  private static final Set<String> ENV_FIELDS = Set.of("name", "value", "valueFrom");

  public static final ProxyParameters NONE = new ProxyParameters(Map.of(), null, List.of(), new TreeMap<>(),
      new TreeMap<>(), null, new TreeMap<>(), new TreeMap<>(), null);

  public ProxyParameters {
    image = Collections.unmodifiableMap(new TreeMap<>(image));
    env = List.copyOf(env);
    deploymentLabels = Collections.unmodifiableSortedMap(new TreeMap<>(deploymentLabels));
    deploymentAnnotations = Collections.unmodifiableSortedMap(new TreeMap<>(deploymentAnnotations));
    serviceLabels = Collections.unmodifiableSortedMap(new TreeMap<>(serviceLabels));
    serviceAnnotations = Collections.unmodifiableSortedMap(new TreeMap<>(serviceAnnotations));
  }

  /**
   * Reads the supported subset of an {@code AgentgatewayParameters} resource.
   *
   * @throws InvalidSpecException naming the field that is invalid or not supported
   */
  public static ProxyParameters read(GenericKubernetesResource parameters) {
    requireNonNull(parameters, "parameters");
    if (parameters.getAdditionalProperties().get("spec") == null) {
      return NONE;
    }
    SpecReader spec = SpecReader.spec(parameters);
    spec.requireOnly(SPEC_FIELDS);
    Map<String, String> image = new TreeMap<>();
    spec.object("image").ifPresent(i -> {
      i.requireOnly(IMAGE_FIELDS);
      for (String field : IMAGE_FIELDS) {
        i.string(field).filter(v -> !v.isBlank()).ifPresent(v -> image.put(field, v.strip()));
      }
      String pullPolicy = image.get("pullPolicy");
      if (pullPolicy != null && !ProvisioningSettings.PULL_POLICIES.contains(pullPolicy)) {
        throw InvalidSpecException.invalid(i.path("pullPolicy"), pullPolicy + " (expected: Always, IfNotPresent or Never)");
      }
    });
    Map<String, Object> resources = null;
    if (spec.has("resources")) {
      SpecReader r = spec.requireObject("resources");
      r.requireOnly(RESOURCE_FIELDS);
      resources = new LinkedHashMap<>();
      for (String field : List.of("requests", "limits")) {
        SortedMap<String, String> quantities = quantities(parameters, r.path(field));
        if (!quantities.isEmpty()) {
          resources.put(field, quantities);
        }
      }
    }
    List<Map<String, Object>> env = new ArrayList<>();
    for (SpecReader e : spec.objects("env")) {
      e.requireOnly(ENV_FIELDS);
      Map<String, Object> variable = new LinkedHashMap<>();
      variable.put("name", e.requireString("name"));
      e.string("value").ifPresent(v -> variable.put("value", v));
      e.object("valueFrom").ifPresent(v -> variable.put("valueFrom", raw(parameters, e.path("valueFrom"))));
      env.add(variable);
    }
    SortedMap<String, String> deploymentLabels = new TreeMap<>();
    SortedMap<String, String> deploymentAnnotations = new TreeMap<>();
    Integer replicas = null;
    if (spec.has("deployment")) {
      SpecReader d = spec.requireObject("deployment");
      d.requireOnly(Set.of("metadata", "spec"));
      metadata(d, deploymentLabels, deploymentAnnotations);
      if (d.has("spec")) {
        SpecReader s = d.requireObject("spec");
        s.requireOnly(Set.of("replicas"));
        replicas = s.integer("replicas", 0, 1000).orElse(null);
      }
    }
    SortedMap<String, String> serviceLabels = new TreeMap<>();
    SortedMap<String, String> serviceAnnotations = new TreeMap<>();
    String serviceType = null;
    if (spec.has("service")) {
      SpecReader s = spec.requireObject("service");
      s.requireOnly(Set.of("metadata", "spec"));
      metadata(s, serviceLabels, serviceAnnotations);
      if (s.has("spec")) {
        SpecReader serviceSpec = s.requireObject("spec");
        serviceSpec.requireOnly(Set.of("type"));
        serviceType = serviceSpec.string("type").orElse(null);
        if (serviceType != null && !ProvisioningSettings.SERVICE_TYPES.contains(serviceType)) {
          throw InvalidSpecException.invalid(serviceSpec.path("type"),
              serviceType + " (expected: LoadBalancer, ClusterIP or NodePort)");
        }
      }
    }
    return new ProxyParameters(image, resources, env, deploymentLabels, deploymentAnnotations, replicas,
        serviceLabels, serviceAnnotations, serviceType);
  }

  /** A map of quantities ({@code cpu: 1}, {@code memory: 128Mi}); numbers are taken as written. */
  private static SortedMap<String, String> quantities(GenericKubernetesResource parameters, String path) {
    SortedMap<String, String> quantities = new TreeMap<>();
    Object value;
    try {
      value = raw(parameters, path);
    } catch (RuntimeException e) {
      value = null;
    }
    if (value == null) {
      return quantities;
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw InvalidSpecException.invalid(path, "expected: a map of quantities");
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getValue() instanceof String) && !(e.getValue() instanceof Number)) {
        throw InvalidSpecException.invalid(path + "." + e.getKey(), e.getValue() + " (expected: a quantity)");
      }
      quantities.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
    }
    return quantities;
  }

  private static void metadata(SpecReader parent, Map<String, String> labels, Map<String, String> annotations) {
    parent.object("metadata").ifPresent(m -> {
      m.requireOnly(Set.of("labels", "annotations"));
      labels.putAll(m.stringMap("labels"));
      annotations.putAll(m.stringMap("annotations"));
    });
  }

  @SuppressWarnings("unchecked")
  private static Object raw(GenericKubernetesResource parameters, String path) {
    Object node = parameters.getAdditionalProperties();
    for (String part : path.split("\\.")) {
      int bracket = part.indexOf('[');
      String field = bracket < 0 ? part : part.substring(0, bracket);
      node = ((Map<String, Object>) node).get(field);
      if (bracket >= 0) {
        node = ((List<Object>) node).get(Integer.parseInt(part.substring(bracket + 1, part.length() - 1)));
      }
    }
    return node;
  }

  /** These parameters with {@code other}'s applied on top (the Gateway's over the class's). */
  public ProxyParameters then(ProxyParameters other) {
    Map<String, String> mergedImage = new TreeMap<>(image);
    mergedImage.putAll(other.image);
    Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
    env.forEach(e -> byName.put(String.valueOf(e.get("name")), e));
    other.env.forEach(e -> byName.put(String.valueOf(e.get("name")), e));
    return new ProxyParameters(mergedImage, other.resources != null ? other.resources : resources,
        new ArrayList<>(byName.values()), merge(deploymentLabels, other.deploymentLabels),
        merge(deploymentAnnotations, other.deploymentAnnotations),
        other.replicas != null ? other.replicas : replicas, merge(serviceLabels, other.serviceLabels),
        merge(serviceAnnotations, other.serviceAnnotations),
        other.serviceType != null ? other.serviceType : serviceType);
  }

  private static SortedMap<String, String> merge(Map<String, String> first, Map<String, String> second) {
    SortedMap<String, String> merged = new TreeMap<>(first);
    merged.putAll(second);
    return merged;
  }
}
