package dev.tollway.config.price;

import dev.tollway.config.status.ResourceStatus;
import dev.tollway.schemas.price.ModelPrice;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one price compilation produced.
 *
 * @param catalogVersion the version of the bundled catalog the prices were built from
 * @param prices the prices to publish, by {@code <provider>/<model>}
 * @param overrides how many prices come from {@code ModelPrice} resources
 * @param statuses the verdict on every {@code ModelPrice} resource, sorted by namespace and name
 */
public record PriceResult(
    String catalogVersion, SortedMap<String, ModelPrice> prices, int overrides, List<ResourceStatus> statuses) {

  public PriceResult {
    prices = Collections.unmodifiableSortedMap(new TreeMap<>(prices));
    statuses = List.copyOf(statuses);
  }

  /** Every condition that reports a problem, in status order. */
  public List<ResourceStatus.Problem> problems() {
    return statuses.stream().flatMap(s -> s.problems().stream()).toList();
  }
}
