package dev.tollway.edge.routing;

import dev.tollway.schemas.snapshot.BackendRef;
import dev.tollway.schemas.snapshot.GatewaySnapshot;

/** Makes the backend a route refers to ready to serve (opens credentials, resolves provider protocols). */
@FunctionalInterface
public interface BackendResolver {

  /** Never throws: a backend that cannot serve resolves to {@link ResolvedBackend.Unavailable}. */
  ResolvedBackend resolve(GatewaySnapshot snapshot, BackendRef ref);
}
