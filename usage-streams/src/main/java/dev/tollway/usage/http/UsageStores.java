package dev.tollway.usage.http;

import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.schemas.usage.SpendDimensions;
import dev.tollway.schemas.usage.UsageDimensions;
import dev.tollway.usage.aggregate.UsageCounts;
import dev.tollway.usage.spend.SpendCounts;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Where the API reads from: the running app's stores through interactive queries, or in tests the stores a
 * {@code TopologyTestDriver} filled. Each method throws {@link InvalidStateStoreException} when its store
 * cannot be read now (starting, rebalancing).
 */
public interface UsageStores {

  /** The per-minute window store of usage, keyed by dimensions. */
  ReadOnlyWindowStore<UsageDimensions, UsageCounts> minuteStore();

  /** The daily window store of spend, keyed by spend group (with an empty key name). */
  ReadOnlyWindowStore<SpendDimensions, SpendCounts> spendStore();

  /** The current blocks: the latest quota decision per decision key, its {@code used} kept current. */
  ReadOnlyKeyValueStore<String, QuotaDecision> blocksStore();
}
