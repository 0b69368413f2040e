/**
 * Provider health and selection: consecutive failures by the backend's condition, eviction with backoff (or
 * for as long as a 429's {@code Retry-After} says), latency, and the choice of a provider among priority groups.
 */
@NullMarked
package dev.tollway.edge.health;

import org.jspecify.annotations.NullMarked;
