package dev.tollway.schemas.snapshot;

import org.jspecify.annotations.Nullable;

/**
 * Gateway API HTTPRoute rule timeouts, in milliseconds.
 *
 * @param requestMillis the whole request, from the proxy receiving it to the last response byte
 * @param backendRequestMillis each attempt to a backend
 */
public record RouteTimeouts(@Nullable Long requestMillis, @Nullable Long backendRequestMillis) {}
