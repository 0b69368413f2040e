package dev.tollway.config.price;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.price.ModelPrice;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The price catalog converted from a price table.
 *
 * @param version a stable id of the table: {@code litellm-} and the first 12 hex digits of its SHA-256
 * @param entries how many entries the table has
 * @param prices the prices, by {@code <provider>/<model>}
 * @param skipped the entries of Tollway's providers that were left out, and why, by entry name
 */
public record PriceCatalog(String version, int entries, SortedMap<String, ModelPrice> prices, List<Skipped> skipped) {

  /** The {@code source} of a catalog price. */
  public static final String SOURCE = "catalog";

  public PriceCatalog {
    requireNonNull(version, "version");
    prices = Collections.unmodifiableSortedMap(new TreeMap<>(prices));
    skipped = List.copyOf(skipped);
  }

  /**
   * An entry of the table that gives no price.
   *
   * @param entry the entry's name in the table
   * @param reason why it was left out
   */
  public record Skipped(String entry, String reason) {
    public Skipped {
      requireNonNull(entry, "entry");
      requireNonNull(reason, "reason");
    }
  }
}
