package dev.tollway.config.watch;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one YAML or JSON document into fabric8 objects: {@code ${NAME}} references in string values are
 * expanded first, a {@code List} yields its items, every other kind becomes its fabric8 type (or a
 * {@code GenericKubernetesResource} for custom kinds). A document that does not parse is reported with the
 * field that broke it and skipped.
 */
final class DocumentParser {

  private static final Pattern CHAIN = Pattern.compile("\\(through reference chain: (.*)\\)\\s*$", Pattern.DOTALL);
  private static final Pattern SEGMENT = Pattern.compile("\\[\"([^\"]*)\"]|\\[(\\d+)]");

  private final KubernetesSerialization serialization;
  private final EnvExpander env;

  DocumentParser(KubernetesSerialization serialization, EnvExpander env) {
    this.serialization = requireNonNull(serialization, "serialization");
    this.env = requireNonNull(env, "env");
  }

  /** A parsed resource and where it came from. */
  record Parsed(HasMetadata resource, String location) {}

  void parse(String text, String location, List<Parsed> out, List<SourceProblem> problems) {
    Object tree;
    try {
      tree = serialization.unmarshal(text, Object.class);
    } catch (RuntimeException e) {
      problems.add(new SourceProblem(location, "not valid YAML or JSON: " + firstLine(e.getMessage())));
      return;
    }
    if (tree == null) {
      return;
    }
    Set<String> unset = EnvExpander.collector();
    Object expanded = expand(tree, unset);
    for (String name : unset) {
      problems.add(new SourceProblem(location, "environment variable " + name + " is not set; ${" + name
          + "} expands to an empty value"));
    }
    object(expanded, location, out, problems);
  }

  private void object(Object tree, String location, List<Parsed> out, List<SourceProblem> problems) {
    if (!(tree instanceof Map<?, ?> map)) {
      problems.add(new SourceProblem(
          location, "not a Kubernetes object (expected: a mapping with apiVersion and kind)"));
      return;
    }
    if (!(map.get("apiVersion") instanceof String) || !(map.get("kind") instanceof String kind)) {
      problems.add(new SourceProblem(location, "apiVersion or kind missing (expected: a Kubernetes object)"));
      return;
    }
    if (kind.equals("List") || (kind.endsWith("List") && map.get("items") instanceof List)) {
      List<?> items = map.get("items") instanceof List<?> l ? l : List.of();
      for (int i = 0; i < items.size(); i++) {
        object(items.get(i), location + ".items[" + i + "]", out, problems);
      }
      return;
    }
    String name = map.get("metadata") instanceof Map<?, ?> meta && meta.get("name") instanceof String n ? n : "";
    if (name.isBlank()) {
      problems.add(new SourceProblem(location, kind + ": metadata.name missing"));
      return;
    }
    try {
      KubernetesResource resource = serialization.convertValue(map, KubernetesResource.class);
      if (resource instanceof HasMetadata hasMetadata) {
        out.add(new Parsed(hasMetadata, location));
      } else {
        problems.add(new SourceProblem(location, kind + " " + name + ": not a Kubernetes object with metadata"));
      }
    } catch (RuntimeException e) {
      String detail = kind.equals("Secret")
          ? "does not parse" + at(e.getMessage()) + " (details withheld: a Secret may hold credentials)"
          : describe(e.getMessage());
      problems.add(new SourceProblem(location, kind + " " + name + ": " + detail));
    }
  }

  private Object expand(Object tree, Set<String> unset) {
    if (tree instanceof String s) {
      return env.expand(s, unset);
    }
    if (tree instanceof Map<?, ?> map) {
      Map<Object, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k, v == null ? null : expand(v, unset)));
      return copy;
    }
    if (tree instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(v -> copy.add(v == null ? null : expand(v, unset)));
      return copy;
    }
    return tree;
  }

  /** {@code spec.listeners[0].port: Cannot deserialize ...} from a Jackson message with a reference chain. */
  private static String describe(String message) {
    String first = firstLine(message);
    String path = path(message);
    return path.isEmpty() ? first : path + ": " + first;
  }

  private static String at(String message) {
    String path = path(message);
    return path.isEmpty() ? "" : " at " + path;
  }

  private static String path(String message) {
    if (message == null) {
      return "";
    }
    Matcher chain = CHAIN.matcher(message);
    if (!chain.find()) {
      return "";
    }
    StringBuilder path = new StringBuilder();
    Matcher segment = SEGMENT.matcher(chain.group(1));
    while (segment.find()) {
      if (segment.group(1) != null) {
        path.append(path.length() == 0 ? "" : ".").append(segment.group(1));
      } else {
        path.append('[').append(segment.group(2)).append(']');
      }
    }
    return path.toString();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    String first = newline < 0 ? message : message.substring(0, newline);
    int chain = first.indexOf(" (through reference chain");
    return (chain < 0 ? first : first.substring(0, chain)).strip();
  }
}
