/** Quota decisions that usage-streams publishes and edge-proxy enforces. */
@NullMarked
package dev.tollway.schemas.quota;

import org.jspecify.annotations.NullMarked;
