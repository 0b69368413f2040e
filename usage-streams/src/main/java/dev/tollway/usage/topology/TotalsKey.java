package dev.tollway.usage.topology;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.budget.Budget;
import dev.tollway.usage.quota.Subject;
import dev.tollway.usage.quota.WindowSpec;
import java.util.Optional;

/**
 * Keys of the budget totals store: {@code <type>:<id>|<window shape>|<bucket start, 19 digits>}, so that all
 * buckets of one subject and shape are one prefix, in time order. {@code %} and {@code |} in the id are
 * percent-encoded.
 *
 * @param subject whose usage
 * @param spec the window shape
 * @param bucketStart the bucket's start, epoch milliseconds
 */
record TotalsKey(Subject subject, WindowSpec spec, long bucketStart) {

  TotalsKey {
    requireNonNull(subject, "subject");
    requireNonNull(spec, "spec");
  }

  String encode() {
    return encode(prefix(subject, spec), bucketStart);
  }

  /**
   * The key of the bucket starting at {@code bucketStart} under {@code prefix} (a {@link #prefix}): the start in
   * 19 digits, zero-padded, so that the keys of one prefix sort in time order.
   */
  static String encode(String prefix, long bucketStart) {
    if (bucketStart < 0) {
      return prefix + String.format("%019d", bucketStart); // before 1970: never a live bucket, kept decodable
    }
    String digits = Long.toString(bucketStart);
    return prefix + "0".repeat(19 - digits.length()) + digits;
  }

  /** The prefix of every bucket of {@code subject} in {@code spec}. */
  static String prefix(Subject subject, WindowSpec spec) {
    return subject.type().name() + ":" + escape(subject.id()) + "|" + spec.id() + "|";
  }

  /** The key {@link #encode()} wrote; empty for anything else. */
  static Optional<TotalsKey> decode(String key) {
    String[] parts = key.split("\\|", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    int colon = parts[0].indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    try {
      Budget.SubjectType type = Budget.SubjectType.valueOf(parts[0].substring(0, colon));
      String id = unescape(parts[0].substring(colon + 1));
      long bucket = Long.parseLong(parts[2]);
      return WindowSpec.parse(parts[1]).map(spec -> new TotalsKey(new Subject(type, id), spec, bucket));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String escape(String id) {
    return id.replace("%", "%25").replace("|", "%7C");
  }

  private static String unescape(String id) {
    return id.replace("%7C", "|").replace("%25", "%");
  }
}
