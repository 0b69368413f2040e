/**
 * Publishing to the compacted topics config-service owns (snapshots, prices, budgets): only what changed,
 * tombstones for what is gone.
 */
@NullMarked
package dev.tollway.config.publish;

import org.jspecify.annotations.NullMarked;
