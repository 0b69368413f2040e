package dev.tollway.deploy;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Kubernetes YAML (multi-document, as {@code helm template} prints it) parsed into the typed models: fabric8's for
 * Kubernetes and Gateway API kinds, Strimzi's for {@code kafka.strimzi.io}. A document is accepted only if it
 * maps to a typed class (never fabric8's {@link GenericKubernetesResource}), no field is unknown to the model,
 * and writing the typed object back gives the same tree (nothing dropped or coerced on the way).
 */
final class Manifests {

  private static final Pattern SEPARATOR = Pattern.compile("(?m)^---[ \\t]*$");
  private static final Map<String, Class<? extends HasMetadata>> STRIMZI = Map.of(
      "Kafka", Kafka.class,
      "KafkaNodePool", KafkaNodePool.class,
      "KafkaTopic", KafkaTopic.class,
      "KafkaUser", KafkaUser.class);

  private Manifests() {}

  /** Parses every non-empty document; throws {@link AssertionError} naming the document on any problem. */
  static List<HasMetadata> parse(String yaml, String origin) {
    requireNonNull(yaml, "yaml");
    List<HasMetadata> resources = new ArrayList<>();
    int index = 0;
    for (String document : SEPARATOR.split(yaml)) {
      if (isEmpty(document)) {
        continue;
      }
      resources.add(parseOne(document, origin + "#" + index++));
    }
    return resources;
  }

  @SuppressWarnings("unchecked")
  private static HasMetadata parseOne(String document, String where) {
    Map<String, Object> tree = Serialization.unmarshal(document, Map.class);
    if (tree == null || !(tree.get("apiVersion") instanceof String apiVersion) || !(tree.get("kind") instanceof String kind)) {
      throw new AssertionError(where + ": not a Kubernetes object (apiVersion and kind expected):\n" + document);
    }
    HasMetadata typed;
    if (apiVersion.startsWith("kafka.strimzi.io/")) {
      Class<? extends HasMetadata> type = STRIMZI.get(kind);
      if (type == null) {
        throw new AssertionError(where + ": " + apiVersion + " " + kind + " is not a kind these tests know");
      }
      typed = Serialization.unmarshal(document, type);
    } else {
      Object parsed = Serialization.unmarshal(document);
      if (!(parsed instanceof HasMetadata resource) || parsed instanceof GenericKubernetesResource) {
        throw new AssertionError(where + ": " + apiVersion + " " + kind + " has no typed model (parsed as "
            + (parsed == null ? "null" : parsed.getClass().getSimpleName()) + ")");
      }
      typed = resource;
    }
    boolean strimzi = apiVersion.startsWith("kafka.strimzi.io/");
    if (strimzi) {
      // Strimzi's model serves several versions with one class and always reports the same one
      if (!servedVersions(typed.getClass()).contains(apiVersion.substring(apiVersion.indexOf('/') + 1))) {
        throw new AssertionError(where + ": " + apiVersion + " is not a version Strimzi's " + kind + " serves ("
            + servedVersions(typed.getClass()) + ")");
      }
    }
    if ((!strimzi && !typed.getApiVersion().equals(apiVersion)) || !typed.getKind().equals(kind)) {
      throw new AssertionError(where + ": parsed as " + typed.getApiVersion() + " " + typed.getKind()
          + ", written as " + apiVersion + " " + kind);
    }
    List<String> unknown = new ArrayList<>();
    collectUnknownFields(typed, kind, unknown);
    if (!unknown.isEmpty()) {
      throw new AssertionError(where + " (" + kind + " " + typed.getMetadata().getName()
          + "): fields the model does not know: " + unknown);
    }
    Map<String, Object> readBack = Serialization.unmarshal(Serialization.asJson(typed), Map.class);
    if (strimzi) {
      readBack.put("apiVersion", apiVersion);
    }
    Object original = normalize(tree);
    Object written = normalize(readBack);
    if (!Objects.equals(original, written)) {
      throw new AssertionError(where + " (" + kind + " " + typed.getMetadata().getName()
          + "): the typed model does not read back the same: " + difference(original, written, ""));
    }
    return typed;
  }

  @SuppressWarnings("unchecked")
  private static List<String> servedVersions(Class<?> type) {
    try {
      return (List<String>) type.getField("VERSIONS").get(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(type.getName() + " has no VERSIONS", e);
    }
  }

  /** Walks the model for non-empty {@code additionalProperties}: what Jackson could not map to a field. */
  private static void collectUnknownFields(Object node, String path, List<String> unknown) {
    if (node instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        collectUnknownFields(item, path + "[" + i++ + "]", unknown);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((key, value) -> collectUnknownFields(value, path + "." + key, unknown));
      return;
    }
    if (node == null || !isModel(node.getClass())) {
      return;
    }
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
          || !(getter.getName().startsWith("get") || getter.getName().startsWith("is"))
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = getter.invoke(node);
      } catch (ReflectiveOperationException | RuntimeException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties") && value instanceof Map<?, ?> extra) {
        extra.keySet().forEach(key -> unknown.add(path + "." + key));
      } else if (value instanceof Collection<?> || value instanceof Map<?, ?> || (value != null && isModel(value.getClass()))) {
        collectUnknownFields(value, path + "." + property(getter.getName()), unknown);
      }
    }
  }

  private static boolean isModel(Class<?> type) {
    String name = type.getName();
    return !type.isEnum() && (name.startsWith("io.fabric8.kubernetes.api.model.") || name.startsWith("io.strimzi.api."));
  }

  private static String property(String getter) {
    String bare = getter.startsWith("is") ? getter.substring(2) : getter.substring(3);
    return bare.isEmpty() ? bare : Character.toLowerCase(bare.charAt(0)) + bare.substring(1);
  }

  /** Nulls are left out, keys sorted, scalars compared as text (8090, 8090.0 and "8090" are the same). */
  private static Object normalize(Object node) {
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      new java.util.TreeMap<>(map.entrySet().stream()
          .collect(java.util.stream.Collectors.toMap(e -> String.valueOf(e.getKey()), Map.Entry::getValue)))
          .forEach((key, value) -> {
            Object normalized = normalize(value);
            if (normalized != null) {
              out.put(key, normalized);
            }
          });
      return out;
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object item : list) {
        out.add(normalize(item));
      }
      return out;
    }
    if (node instanceof Number number) {
      return new java.math.BigDecimal(String.valueOf(number)).stripTrailingZeros().toPlainString();
    }
    return node == null ? null : String.valueOf(node);
  }

  /** The first place where two normalized trees differ, as {@code path: written X, read back Y}. */
  private static String difference(Object written, Object read, String path) {
    if (written instanceof Map<?, ?> a && read instanceof Map<?, ?> b) {
      for (Object key : new java.util.TreeSet<Object>(java.util.stream.Stream.concat(a.keySet().stream(), b.keySet().stream()).toList())) {
        if (!Objects.equals(a.get(key), b.get(key))) {
          return difference(a.get(key), b.get(key), path + "." + key);
        }
      }
    }
    if (written instanceof List<?> a && read instanceof List<?> b && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        if (!Objects.equals(a.get(i), b.get(i))) {
          return difference(a.get(i), b.get(i), path + "[" + i + "]");
        }
      }
    }
    return path + ": written " + written + ", read back " + read;
  }

  private static boolean isEmpty(String document) {
    return document.lines().map(String::strip).allMatch(line -> line.isEmpty() || line.startsWith("#"));
  }
}
