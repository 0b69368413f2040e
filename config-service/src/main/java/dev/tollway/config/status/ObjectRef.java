package dev.tollway.config.status;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import org.jspecify.annotations.Nullable;

/**
 * Identifies a Kubernetes object.
 *
 * @param group the API group, empty for the core group
 * @param kind the kind, such as {@code HTTPRoute}
 * @param namespace the namespace; absent for cluster-scoped kinds
 * @param name the name
 */
public record ObjectRef(String group, String kind, @Nullable String namespace, String name)
    implements Comparable<ObjectRef> {

  private static final Comparator<ObjectRef> ORDER =
      Comparator.comparing(ObjectRef::group)
          .thenComparing(ObjectRef::kind)
          .thenComparing(r -> r.namespace() == null ? "" : r.namespace())
          .thenComparing(ObjectRef::name);

  public ObjectRef {
    requireNonNull(group, "group");
    requireNonNull(kind, "kind");
    requireNonNull(name, "name");
  }

  /** {@code <namespace>/<name>}, or just the name for a cluster-scoped object. */
  public String key() {
    return namespace == null ? name : namespace + "/" + name;
  }

  @Override
  public int compareTo(ObjectRef other) {
    return ORDER.compare(this, other);
  }

  /** For messages and logs: {@code HTTPRoute default/llm-route}. */
  @Override
  public String toString() {
    return kind + " " + key();
  }
}
