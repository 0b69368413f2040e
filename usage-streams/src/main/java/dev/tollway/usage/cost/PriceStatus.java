package dev.tollway.usage.cost;

/** How sure a cost is. */
public enum PriceStatus {
  /** Every token was priced at its own rate. */
  EXACT,
  /**
   * A price was found but some tokens were priced with a fallback: cache reads or cache writes at the input
   * rate because the price has no rate for them, or token counts that did not add up (more cached than input
   * tokens) and were clamped.
   */
  ESTIMATED,
  /** No price was found for the model: the cost is 0 and must not be read as free. */
  UNPRICED
}
