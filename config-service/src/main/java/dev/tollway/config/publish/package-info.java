/** Publishing snapshots to the compacted config topic: only what changed, tombstones for removed Gateways. */
@NullMarked
package dev.tollway.config.publish;

import org.jspecify.annotations.NullMarked;
