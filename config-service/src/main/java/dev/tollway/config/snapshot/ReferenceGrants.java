package dev.tollway.config.snapshot;

import dev.tollway.config.model.Resources;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrantFrom;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrantTo;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Whether a {@code ReferenceGrant} in the target's namespace allows a cross-namespace reference. */
final class ReferenceGrants {

  private ReferenceGrants() {}

  /**
   * Whether a resource of {@code fromGroup/fromKind} in {@code fromNamespace} may refer to the object
   * {@code toGroup/toKind/toName}, given the grants of the target's namespace.
   */
  static boolean permits(
      List<ReferenceGrant> grantsInTargetNamespace,
      String fromGroup,
      String fromKind,
      String fromNamespace,
      String toGroup,
      String toKind,
      String toName) {
    for (ReferenceGrant grant : grantsInTargetNamespace) {
      if (grant.getSpec() == null) {
        continue;
      }
      boolean fromMatches = false;
      for (ReferenceGrantFrom from : nonNull(grant.getSpec().getFrom())) {
        fromMatches |= same(from.getGroup(), fromGroup)
            && Objects.equals(from.getKind(), fromKind)
            && Objects.equals(from.getNamespace(), fromNamespace);
      }
      if (!fromMatches) {
        continue;
      }
      for (ReferenceGrantTo to : nonNull(grant.getSpec().getTo())) {
        boolean anyName = to.getName() == null || to.getName().isEmpty();
        if (same(to.getGroup(), toGroup)
            && Objects.equals(to.getKind(), toKind)
            && (anyName || to.getName().equals(toName))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Grants are read in the target's namespace only. */
  static List<ReferenceGrant> in(List<ReferenceGrant> all, String namespace) {
    return all.stream().filter(g -> Resources.namespace(g).equals(namespace)).toList();
  }

  private static boolean same(@Nullable String group, String expected) {
    return (group == null ? "" : group).equals(expected);
  }

  private static <T> List<T> nonNull(@Nullable List<T> list) {
    return list == null ? List.of() : list;
  }
}
