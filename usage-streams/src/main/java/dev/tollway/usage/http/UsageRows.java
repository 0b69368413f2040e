package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.usage.UsageDimensions;
import dev.tollway.usage.aggregate.UsageCounts;
import dev.tollway.usage.topology.UsageTopology;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/** Sums the minute windows of a query's range into rows. */
public final class UsageRows {

  private UsageRows() {}

  /**
   * The rows of a query: every minute window that overlaps {@code [from, to)}, summed per group and
   * sorted by total tokens, most first, then by group.
   */
  public static List<UsageRow> sum(UsageQuery query, ReadOnlyWindowStore<UsageDimensions, UsageCounts> store) {
    requireNonNull(query, "query");
    requireNonNull(store, "store");
    if (!query.from().isBefore(query.to())) {
      return List.of();
    }
    // a window [start, start + 1 minute) overlaps [from, to) when from - 1 minute < start < to;
    // fetchAll takes inclusive bounds on the window start
    Instant firstStart = max(Instant.EPOCH, query.from().minus(UsageTopology.WINDOW_SIZE).plusMillis(1));
    Instant lastStart = query.to().minusMillis(1);
    Map<String, UsageCounts> sums = new HashMap<>();
    try (KeyValueIterator<Windowed<UsageDimensions>, UsageCounts> windows = store.fetchAll(firstStart, lastStart)) {
      while (windows.hasNext()) {
        KeyValue<Windowed<UsageDimensions>, UsageCounts> window = windows.next();
        sums.merge(query.groupBy().groupOf(window.key.key()), window.value, UsageCounts::plus);
      }
    }
    return sums.entrySet().stream()
        .map(entry -> new UsageRow(entry.getKey(), entry.getValue()))
        .sorted(UsageRow.BY_TOTAL_TOKENS_DESCENDING)
        .toList();
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
