package dev.tollway.edge.snapshot;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.routing.BackendResolver;
import dev.tollway.edge.routing.RoutingTable;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.topic.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshots of the served Gateways and the routing table compiled from them. Records are applied in
 * batches by one thread; each change compiles a new table and swaps it in one atomic step, so a request
 * keeps the table it started with. A record that does not decode is skipped (logged and counted) and the
 * Gateway keeps its last good snapshot.
 */
public final class RoutingState {

  private static final Logger LOG = LoggerFactory.getLogger(RoutingState.class);

  private final Predicate<String> serves;
  private final BackendResolver resolver;
  private final @Nullable SnapshotStore store;
  private final Counter applied;
  private final Counter rejected;
  private final AtomicReference<RoutingTable> table = new AtomicReference<>(RoutingTable.empty());
  private final List<Consumer<RoutingTable>> changeListeners = new CopyOnWriteArrayList<>();
  private final Map<String, GatewaySnapshot> snapshots = new TreeMap<>();
  private final Map<String, byte[]> lastBytes = new HashMap<>();

  /**
   * @param serves which Gateway keys this proxy serves
   * @param store where the last good snapshots are kept, if anywhere
   */
  public RoutingState(
      Predicate<String> serves, BackendResolver resolver, @Nullable SnapshotStore store, MeterRegistry meters) {
    this.serves = requireNonNull(serves, "serves");
    this.resolver = requireNonNull(resolver, "resolver");
    this.store = store;
    this.applied = Counter.builder("tollway.snapshot.records").tag("outcome", "applied")
        .description("config records applied").register(meters);
    this.rejected = Counter.builder("tollway.snapshot.records").tag("outcome", "rejected")
        .description("config records skipped because they do not decode").register(meters);
  }

  /** The current table; a request reads it once and keeps it. */
  public RoutingTable current() {
    return table.get();
  }

  /** Called with each new table, on the thread that applied the change. */
  public void onChange(Consumer<RoutingTable> listener) {
    changeListeners.add(requireNonNull(listener, "listener"));
  }

  /** Whether at least one snapshot is loaded. */
  public synchronized boolean hasSnapshot() {
    return !snapshots.isEmpty();
  }

  /** Loads the snapshots kept on disk; returns how many were loaded. */
  public int loadFromDisk() {
    if (store == null) {
      return 0;
    }
    Map<String, byte[]> stored;
    try {
      stored = store.loadAll();
    } catch (RuntimeException e) {
      LOG.warn("cannot read the snapshots kept in {}: {}", store.dir(), e.getMessage());
      return 0;
    }
    List<SnapshotRecord> records = stored.entrySet().stream()
        .map(e -> SnapshotRecord.of(e.getKey(), e.getValue())).toList();
    int before = count();
    apply(records, false);
    int loaded = count() - before;
    if (loaded > 0) {
      LOG.info("loaded {} snapshot(s) from {}", loaded, store.dir());
    }
    return loaded;
  }

  /** Applies records of the config topic in order; recompiles once if anything changed. */
  public void apply(List<SnapshotRecord> records) {
    apply(records, true);
  }

  private synchronized void apply(List<SnapshotRecord> records, boolean persist) {
    boolean changed = false;
    for (SnapshotRecord record : records) {
      String key = record.key();
      if (key == null) {
        rejected.increment();
        LOG.warn("config record without a key skipped");
        continue;
      }
      if (!serves.test(key)) {
        continue;
      }
      byte[] value = record.value();
      if (value == null) {
        if (snapshots.remove(key) != null) {
          changed = true;
          LOG.info("gateway {} deleted (tombstone)", key);
        }
        lastBytes.remove(key);
        if (persist) {
          deleteStored(key);
        }
        applied.increment();
        continue;
      }
      if (Arrays.equals(value, lastBytes.get(key))) {
        applied.increment();
        continue;
      }
      GatewaySnapshot snapshot;
      try {
        snapshot = Topics.CONFIG.serde().deserialize(Topics.CONFIG.name(), value);
        if (!key.equals(snapshot.gateway())) {
          throw new IllegalArgumentException("record key " + key + " but snapshot of " + snapshot.gateway());
        }
        // a snapshot that decodes but cannot be compiled must not take the table (or this thread) down
        RoutingTable.compile(List.of(snapshot), resolver, problem -> {});
      } catch (RuntimeException | StackOverflowError e) {
        rejected.increment();
        LOG.warn("config record for gateway {} skipped, keeping the last good snapshot: {}", key, e.getMessage());
        continue;
      }
      snapshots.put(key, snapshot);
      lastBytes.put(key, value);
      changed = true;
      applied.increment();
      if (persist) {
        saveStored(key, value);
      }
    }
    if (changed) {
      swap();
    }
  }

  private synchronized int count() {
    return snapshots.size();
  }

  private void swap() {
    RoutingTable next = RoutingTable.compile(snapshots.values(), resolver, problem -> LOG.warn("{}", problem));
    table.set(next);
    LOG.info("routing table swapped: gateways={} ports={}", next.gatewayKeys(), next.declaredPorts());
    for (Consumer<RoutingTable> listener : changeListeners) {
      try {
        listener.accept(next);
      } catch (RuntimeException e) {
        LOG.error("routing table listener failed", e);
      }
    }
  }

  private void saveStored(String key, byte[] value) {
    if (store == null) {
      return;
    }
    try {
      store.save(key, value);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot keep the snapshot of gateway {} in {}: {}", key, store.dir(), e.getMessage());
    }
  }

  private void deleteStored(String key) {
    if (store == null) {
      return;
    }
    try {
      store.delete(key);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot delete the kept snapshot of gateway {}: {}", key, e.getMessage());
    }
  }
}
