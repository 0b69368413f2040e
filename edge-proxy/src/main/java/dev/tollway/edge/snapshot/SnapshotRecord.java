package dev.tollway.edge.snapshot;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A record of the config topic: the Gateway key and the snapshot bytes, or null for a tombstone.
 *
 * @param key {@code <namespace>/<name>} of the Gateway; null when the producer sent none (skipped)
 */
public record SnapshotRecord(@Nullable String key, byte @Nullable [] value) {

  public static SnapshotRecord of(String key, byte @Nullable [] value) {
    return new SnapshotRecord(requireNonNull(key, "key"), value);
  }
}
