package dev.tollway.edge.admin;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a label's values bounded: the first {@code max} distinct values are used as they are, any later new
 * value becomes {@value #OTHER}. For labels whose values come from outside (a model name the client sent), so
 * a client cannot grow the metrics without bound.
 */
final class LabelLimit {

  static final String OTHER = "_other";

  private final int max;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();

  LabelLimit(int max) {
    this.max = max;
  }

  /** The label value for {@code value}: itself, {@code ""} for none, or {@value #OTHER} past the limit. */
  String of(@Nullable String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    if (seen.contains(value)) {
      return value;
    }
    if (seen.size() < max && seen.add(value)) {
      return value;
    }
    return seen.contains(value) ? value : OTHER;
  }
}
