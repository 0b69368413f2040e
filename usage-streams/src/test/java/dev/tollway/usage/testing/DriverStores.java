package dev.tollway.usage.testing;

import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.schemas.usage.SpendDimensions;
import dev.tollway.schemas.usage.UsageDimensions;
import dev.tollway.usage.aggregate.UsageCounts;
import dev.tollway.usage.http.UsageStores;
import dev.tollway.usage.spend.SpendCounts;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/** The stores a {@link UsageDriver} filled, as the API reads them; they can be made unreadable (rebalancing). */
public final class DriverStores implements UsageStores {

  private final UsageDriver driver;
  private final AtomicBoolean readable = new AtomicBoolean(true);

  public DriverStores(UsageDriver driver) {
    this.driver = driver;
  }

  /** Whether the stores can be read; when not, every read throws as during a rebalance. */
  public void readable(boolean value) {
    readable.set(value);
  }

  @Override
  public ReadOnlyWindowStore<UsageDimensions, UsageCounts> minuteStore() {
    check();
    return driver.minuteStore();
  }

  @Override
  public ReadOnlyWindowStore<SpendDimensions, SpendCounts> spendStore() {
    check();
    return driver.spendStore();
  }

  @Override
  public ReadOnlyKeyValueStore<String, QuotaDecision> blocksStore() {
    check();
    return driver.blocksStore();
  }

  private void check() {
    if (!readable.get()) {
      throw new InvalidStateStoreException("rebalancing");
    }
  }
}
