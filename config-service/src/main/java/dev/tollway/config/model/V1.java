package dev.tollway.config.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ReferenceGrant;
import java.util.Optional;

/**
 * Converts {@code gateway.networking.k8s.io/v1beta1} objects to their {@code v1} types. Both versions share
 * their spec types in fabric8, so the conversion only re-wraps metadata, spec and status.
 */
final class V1 {

  private static final String V1 = Resources.GATEWAY_GROUP + "/v1";

  private V1() {}

  static Optional<HasMetadata> convert(HasMetadata resource) {
    if (resource instanceof io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.GatewayClass r) {
      return Optional.of(new GatewayClass(V1, r.getKind(), r.getMetadata(), r.getSpec(), r.getStatus()));
    }
    if (resource instanceof io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.Gateway r) {
      return Optional.of(new Gateway(V1, r.getKind(), r.getMetadata(), r.getSpec(), r.getStatus()));
    }
    if (resource instanceof io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.HTTPRoute r) {
      return Optional.of(new HTTPRoute(V1, r.getKind(), r.getMetadata(), r.getSpec(), r.getStatus()));
    }
    if (resource instanceof io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant r) {
      return Optional.of(new ReferenceGrant(V1, r.getKind(), r.getMetadata(), r.getSpec()));
    }
    return Optional.empty();
  }
}
