package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

import dev.tollway.usage.aggregate.UsageCounts;
import java.util.Comparator;

/**
 * One row of {@code /v1/usage}: the counts of one group over the range.
 *
 * @param group the value of the grouping dimension (empty when events did not carry it)
 * @param counts the summed counts
 */
public record UsageRow(String group, UsageCounts counts) {

  /** Most tokens first; equal totals by group name. */
  public static final Comparator<UsageRow> BY_TOTAL_TOKENS_DESCENDING =
      Comparator.comparingLong((UsageRow row) -> row.counts().totalTokens())
          .reversed()
          .thenComparing(UsageRow::group);

  public UsageRow {
    requireNonNull(group, "group");
    requireNonNull(counts, "counts");
  }
}
