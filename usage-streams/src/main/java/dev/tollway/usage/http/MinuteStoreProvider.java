package dev.tollway.usage.http;

import dev.tollway.schemas.usage.UsageDimensions;
import dev.tollway.usage.aggregate.UsageCounts;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Where the API reads minute windows from: the running app's store through interactive queries, or in
 * tests the store a {@code TopologyTestDriver} filled.
 */
@FunctionalInterface
public interface MinuteStoreProvider {

  /**
   * The per-minute window store, keyed by dimensions.
   *
   * @throws InvalidStateStoreException when the store cannot be read now (starting, rebalancing)
   */
  ReadOnlyWindowStore<UsageDimensions, UsageCounts> minuteStore();
}
