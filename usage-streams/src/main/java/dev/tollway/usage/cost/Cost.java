package dev.tollway.usage.cost;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * What one usage event cost.
 *
 * @param nanoUsd the cost in nano-dollars (US dollars times 10^9); 0 when {@link #status()} is
 *     {@link PriceStatus#UNPRICED}
 * @param status whether the cost is exact, estimated or unknown
 * @param priceKey the {@code <provider>/<model>} of the price that was used, absent when unpriced
 */
public record Cost(long nanoUsd, PriceStatus status, @Nullable String priceKey) {

  public Cost {
    requireNonNull(status, "status");
    if (nanoUsd < 0) {
      throw new IllegalArgumentException("nanoUsd: " + nanoUsd + " (expected: zero or more)");
    }
    if (status == PriceStatus.UNPRICED && (nanoUsd != 0 || priceKey != null)) {
      throw new IllegalArgumentException("an unpriced cost has no amount and no price");
    }
    if (status != PriceStatus.UNPRICED && priceKey == null) {
      throw new IllegalArgumentException("a priced cost names its price");
    }
  }

  private static final Cost UNPRICED = new Cost(0, PriceStatus.UNPRICED, null);

  /** The cost of an event whose model has no price. */
  public static Cost unpriced() {
    return UNPRICED;
  }

  public boolean isUnpriced() {
    return status == PriceStatus.UNPRICED;
  }

  public boolean isEstimated() {
    return status == PriceStatus.ESTIMATED;
  }
}
