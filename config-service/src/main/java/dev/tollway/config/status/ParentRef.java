package dev.tollway.config.status;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A route's {@code parentRefs[]} entry with its defaults filled in, as it is echoed in
 * {@code status.parents[].parentRef}.
 *
 * @param group the parent's group ({@code gateway.networking.k8s.io})
 * @param kind the parent's kind ({@code Gateway})
 * @param namespace the parent's namespace (defaults to the route's)
 * @param name the parent's name
 * @param sectionName the listener name, if the route names one
 * @param port the listener port, if the route names one
 */
public record ParentRef(
    String group,
    String kind,
    String namespace,
    String name,
    @Nullable String sectionName,
    @Nullable Integer port) {

  public ParentRef {
    requireNonNull(group, "group");
    requireNonNull(kind, "kind");
    requireNonNull(namespace, "namespace");
    requireNonNull(name, "name");
  }

  /** {@code <namespace>/<name>} of the parent. */
  public String key() {
    return namespace + "/" + name;
  }

  @Override
  public String toString() {
    return kind + " " + key() + (sectionName == null ? "" : "#" + sectionName) + (port == null ? "" : ":" + port);
  }
}
