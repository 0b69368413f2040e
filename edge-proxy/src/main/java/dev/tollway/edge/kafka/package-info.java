/**
 * Reading the compacted topics the proxy follows (snapshots, quota decisions): every partition from the
 * beginning, without a consumer group, on a thread of its own.
 */
@NullMarked
package dev.tollway.edge.kafka;

import org.jspecify.annotations.NullMarked;
