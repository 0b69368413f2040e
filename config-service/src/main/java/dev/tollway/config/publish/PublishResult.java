package dev.tollway.config.publish;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one publish did.
 *
 * @param published Gateway keys whose snapshot was written because it changed (or was new)
 * @param tombstoned Gateway keys that were removed with a tombstone
 * @param unchanged how many snapshots were already on the topic byte for byte
 * @param failed Gateway keys whose write failed, with the error; they are retried at the next publish
 */
public record PublishResult(
    List<String> published, List<String> tombstoned, int unchanged, SortedMap<String, String> failed) {

  public PublishResult {
    published = List.copyOf(published);
    tombstoned = List.copyOf(tombstoned);
    failed = Collections.unmodifiableSortedMap(new TreeMap<>(failed));
  }

  /** Whether every write succeeded. */
  public boolean ok() {
    return failed.isEmpty();
  }
}
