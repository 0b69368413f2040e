package dev.tollway.config.writeback;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one status pass did.
 *
 * @param written statuses written
 * @param unchanged statuses that already were as computed (nothing written)
 * @param conflicts writes refused with 409 and retried on a fresh read
 * @param failures resources whose status could not be written, with the error (retried at the next pass)
 */
public record WriteResult(int written, int unchanged, int conflicts, SortedMap<String, String> failures) {

  public static final WriteResult NONE = new WriteResult(0, 0, 0, new TreeMap<>());

  public WriteResult {
    failures = Collections.unmodifiableSortedMap(new TreeMap<>(failures));
  }

  public boolean ok() {
    return failures.isEmpty();
  }
}
