package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.usage.SpendDimensions;
import dev.tollway.usage.spend.SpendCounts;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.jspecify.annotations.Nullable;

/** Sums the days of the daily spend store that a query's range overlaps into rows. */
public final class SpendRows {

  /** The longest calendar day (a daylight-saving day), to find every day that may overlap a range. */
  private static final Duration LONGEST_DAY = Duration.ofHours(26);

  private SpendRows() {}

  /**
   * The rows of a query: every day (in {@code zone}) that overlaps {@code [from, to)}, summed per group (and
   * per day when asked), in {@link SpendRow#ORDER}.
   */
  public static List<SpendRow> sum(
      SpendQuery query, ReadOnlyWindowStore<SpendDimensions, SpendCounts> store, ZoneId zone) {
    requireNonNull(query, "query");
    requireNonNull(store, "store");
    requireNonNull(zone, "zone");
    if (!query.from().isBefore(query.to())) {
      return List.of();
    }
    Instant firstStart = max(Instant.EPOCH, query.from().minus(LONGEST_DAY));
    Instant lastStart = query.to().minusMillis(1);
    Map<GroupKey, SpendCounts> sums = new HashMap<>();
    try (KeyValueIterator<Windowed<SpendDimensions>, SpendCounts> days = store.fetchAll(firstStart, lastStart)) {
      while (days.hasNext()) {
        KeyValue<Windowed<SpendDimensions>, SpendCounts> window = days.next();
        LocalDate day = window.key.window().startTime().atZone(zone).toLocalDate();
        Instant dayStart = day.atStartOfDay(zone).toInstant();
        Instant dayEnd = day.plusDays(1).atStartOfDay(zone).toInstant();
        if (!dayStart.isBefore(query.to()) || !dayEnd.isAfter(query.from())) {
          continue;
        }
        GroupKey key = new GroupKey(query.groupBy().groupOf(window.key.key()), query.perDay() ? day : null);
        sums.merge(key, window.value, SpendCounts::plus);
      }
    }
    return sums.entrySet().stream()
        .map(entry -> new SpendRow(entry.getKey().group(), entry.getKey().day(), entry.getValue()))
        .sorted(SpendRow.ORDER)
        .toList();
  }

  /** The sum of all rows. */
  public static SpendCounts total(List<SpendRow> rows) {
    SpendCounts total = SpendCounts.zero();
    for (SpendRow row : rows) {
      total = total.plus(row.counts());
    }
    return total;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private record GroupKey(String group, @Nullable LocalDate day) {}
}
