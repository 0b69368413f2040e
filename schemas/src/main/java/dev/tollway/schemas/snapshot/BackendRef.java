package dev.tollway.schemas.snapshot;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A weighted reference from a route rule to a backend.
 *
 * @param backend the key of the backend in {@link GatewaySnapshot#backends()}: {@code "<namespace>/<name>"}, or
 *     {@code "<namespace>/<name>:<port>"} for a Service
 * @param weight the relative weight (Gateway API: 0 to 1,000,000; default 1)
 * @param unresolved why the reference could not be resolved, if it could not; the proxy answers requests
 *     that pick this reference with an error (Gateway API: 500) naming this reason
 */
public record BackendRef(String backend, int weight, @Nullable String unresolved) {

  public BackendRef {
    requireNonNull(backend, "backend");
  }

  public static BackendRef resolved(String backend, int weight) {
    return new BackendRef(backend, weight, null);
  }

  public static BackendRef unresolved(String backend, int weight, String reason) {
    return new BackendRef(backend, weight, requireNonNull(reason, "reason"));
  }
}
