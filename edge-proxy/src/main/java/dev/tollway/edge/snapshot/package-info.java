/**
 * Gateway snapshots: consumed from {@code tollway.config.v1}, kept on local disk, compiled into the routing
 * table that is swapped atomically.
 */
@NullMarked
package dev.tollway.edge.snapshot;

import org.jspecify.annotations.NullMarked;
