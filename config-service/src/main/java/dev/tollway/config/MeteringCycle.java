package dev.tollway.config;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.budget.BudgetResult;
import dev.tollway.config.price.PriceResult;
import dev.tollway.config.publish.PublishResult;
import dev.tollway.schemas.price.ModelPrice;
import java.util.ArrayList;
import java.util.List;

/**
 * What one pass did with prices and budgets.
 *
 * @param prices the compiled prices (catalog and overrides) and the {@code ModelPrice} statuses
 * @param pricesPublish what was written to {@code tollway.prices.v1}; a topic that could not be read back is in
 *     {@link PublishResult#failed()} under the topic's name
 * @param budgets the compiled budgets and the {@code Budget} statuses
 * @param budgetsPublish what was written to {@code tollway.budgets.v1}, likewise
 */
public record MeteringCycle(
    PriceResult prices, PublishResult pricesPublish, BudgetResult budgets, PublishResult budgetsPublish) {

  /** Up to this many prices written in one pass are listed one per line; more are summed up in one line. */
  private static final int LISTED = 5;

  public MeteringCycle {
    requireNonNull(prices, "prices");
    requireNonNull(pricesPublish, "pricesPublish");
    requireNonNull(budgets, "budgets");
    requireNonNull(budgetsPublish, "budgetsPublish");
  }

  /** Whether every write succeeded. */
  public boolean ok() {
    return pricesPublish.ok() && budgetsPublish.ok();
  }

  /**
   * One line per budget written, and per price written (or one line for many):
   * {@code published price anthropic/claude-sonnet-4-20250514 (override:default/negotiated)},
   * {@code published 640 prices (catalog litellm-3768e09fcb40, 1 override)},
   * {@code published budget default/payments-daily}, {@code removed budget default/old (tombstone)}.
   */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    List<String> written = pricesPublish.published();
    if (written.size() > LISTED) {
      int overrides = prices.overrides();
      lines.add("published " + written.size() + " prices (catalog " + prices.catalogVersion() + ", " + overrides
          + (overrides == 1 ? " override)" : " overrides)"));
    } else {
      for (String key : written) {
        ModelPrice price = prices.prices().get(key);
        lines.add("published price " + key + (price == null ? "" : " (" + price.source() + ")"));
      }
    }
    List<String> removed = pricesPublish.tombstoned();
    if (removed.size() > LISTED) {
      lines.add("removed " + removed.size() + " prices (tombstones)");
    } else {
      removed.forEach(key -> lines.add("removed price " + key + " (tombstone)"));
    }
    budgetsPublish.published().forEach(key -> lines.add("published budget " + key));
    budgetsPublish.tombstoned().forEach(key -> lines.add("removed budget " + key + " (tombstone)"));
    return lines;
  }
}
