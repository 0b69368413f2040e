/** Leader election on a {@code coordination.k8s.io} Lease: only the leader publishes, writes status and provisions. */
@NullMarked
package dev.tollway.config.leader;

import org.jspecify.annotations.NullMarked;
