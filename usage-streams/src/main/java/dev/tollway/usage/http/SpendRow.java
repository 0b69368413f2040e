package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

import dev.tollway.usage.spend.SpendCounts;
import java.time.LocalDate;
import java.util.Comparator;
import org.jspecify.annotations.Nullable;

/**
 * One row of {@code /v1/spend}: the spend of one group over the range, or on one day.
 *
 * @param group the value of the grouping dimension (empty when events did not carry it)
 * @param day the day, when rows are split per day
 * @param counts the summed counts; for a key, its name is the latest one seen
 */
public record SpendRow(String group, @Nullable LocalDate day, SpendCounts counts) {

  /** Earliest day first, then most cost, then most tokens, then by group name. */
  public static final Comparator<SpendRow> ORDER =
      Comparator.comparing((SpendRow row) -> row.day() == null ? LocalDate.MIN : row.day())
          .thenComparing(Comparator.comparingLong((SpendRow row) -> row.counts().costNanoUsd()).reversed())
          .thenComparing(Comparator.comparingLong((SpendRow row) -> row.counts().totalTokens()).reversed())
          .thenComparing(SpendRow::group);

  public SpendRow {
    requireNonNull(group, "group");
    requireNonNull(counts, "counts");
  }
}
