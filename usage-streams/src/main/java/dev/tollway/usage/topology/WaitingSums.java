package dev.tollway.usage.topology;

import static java.util.Objects.requireNonNull;

import dev.tollway.usage.codec.BinaryReader;
import dev.tollway.usage.codec.BinarySerde;
import dev.tollway.usage.codec.BinaryWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;
import org.jspecify.annotations.Nullable;

/**
 * The sums {@link PreAggregate} keeps waiting, as objects in a hash map, over a logged in-memory store that
 * holds them in binary form for exactly-once: adding an event to a sum costs a map lookup and an addition, with
 * no (de)serialisation and no store access per event.
 *
 * <p>Exactly once. A sum not yet sent must be in the changelog in the same transaction as the input offsets it
 * covers. Kafka Streams (4.4) commits a task in {@code StreamTask.prepareCommit}: it calls
 * {@code ProcessorStateManager.flushCache()}, which calls {@link CachedStateStore#flushCache()} on every
 * registered store that is one — the hook its own record caches use to write through to their logged stores —
 * then flushes the producer, then commits the offsets in the transaction. This store is such a store: its
 * {@link #flushCache()} writes every sum changed since the last commit into the logged store, whose changelog
 * records join that transaction. ({@link StateStore#flush()} / {@code commit(Map)} would not do: they run in
 * {@code postCommit}, after the transaction committed, when the store is checkpointed.) Sending a sum deletes
 * it from the logged store if it was written there, in the transaction that carries the sent record. After a
 * crash, the logged store is restored from its changelog to the last commit, and its sums are read back into
 * the map on first use.
 *
 * <p>One instance per task, used by the stream thread only.
 *
 * @param <K> the key of the sums
 * @param <V> the summed value
 */
final class WaitingSums<K, V> extends ForwardingStateStore<KeyValueStore<Bytes, byte[]>>
    implements CachedStateStore<Bytes, byte[]> {

  private final BinarySerde<K> keys;
  private final BinarySerde<V> values;
  private final Map<Slot<K>, Sum<V>> sums = new HashMap<>();
  private boolean loaded;

  /** @param logged the logged store the sums are written into at commits */
  private WaitingSums(KeyValueStore<Bytes, byte[]> logged, BinarySerde<K> keys, BinarySerde<V> values) {
    super(logged);
    this.keys = keys;
    this.values = values;
  }

  /** The builder of the store named {@code name}: logged, in memory, without a record cache of its own. */
  static <K, V> StoreBuilder<WaitingSums<K, V>> builder(String name, BinarySerde<K> keys, BinarySerde<V> values) {
    requireNonNull(name, "name");
    requireNonNull(keys, "keys");
    requireNonNull(values, "values");
    return new Builder<>(
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
            .withCachingDisabled(),
        keys,
        values);
  }

  /** Adds {@code value} to the sum of {@code key} in {@code bucket}; {@code timestamp} is the event's time. */
  void add(K key, long bucket, V value, long timestamp, BinaryOperator<V> plus) {
    load();
    Slot<K> slot = new Slot<>(key, bucket);
    Sum<V> sum = sums.get(slot);
    if (sum == null) {
      sums.put(slot, new Sum<>(value, timestamp));
    } else {
      sum.value = plus.apply(sum.value, value);
      sum.latest = Math.max(sum.latest, timestamp);
      sum.dirty = true;
    }
  }

  /**
   * Takes every waiting sum out, oldest first (by the latest event time in it): deletes from the logged store
   * those written there, and hands each to {@code sink}.
   */
  void drain(Drain<K, V> sink) {
    load();
    if (sums.isEmpty()) {
      return;
    }
    List<Map.Entry<Slot<K>, Sum<V>>> waiting = new ArrayList<>(sums.entrySet());
    sums.clear();
    waiting.sort(Comparator.comparingLong(entry -> entry.getValue().latest));
    for (Map.Entry<Slot<K>, Sum<V>> entry : waiting) {
      Sum<V> sum = entry.getValue();
      if (sum.stored) {
        inner.delete(storeKey(entry.getKey()));
      }
      sink.take(entry.getKey().key(), sum.value, sum.latest);
    }
  }

  /** Receives drained sums. */
  @FunctionalInterface
  interface Drain<K, V> {
    void take(K key, V sum, long latest);
  }

  /** Writes the sums changed since the last commit into the logged store: called before each commit. */
  @Override
  public void flushCache() {
    if (!loaded) {
      return; // nothing was added since the store was opened or cleared: the logged store is current
    }
    for (Map.Entry<Slot<K>, Sum<V>> entry : sums.entrySet()) {
      Sum<V> sum = entry.getValue();
      if (sum.dirty) {
        BinaryWriter out = new BinaryWriter(96);
        out.writeLong(sum.latest);
        values.encode(sum.value, out);
        inner.put(storeKey(entry.getKey()), out.toByteArray());
        sum.dirty = false;
        sum.stored = true;
      }
    }
  }

  /** Forgets what was not written (the task is closed dirty or revived); the logged store is read again. */
  @Override
  public void clearCache() {
    sums.clear();
    loaded = false;
  }

  @Override
  public boolean setFlushListener(CacheFlushListener<Bytes, byte[]> listener, boolean sendOldValues) {
    return false;
  }

  /** Reads the sums of the logged store (restored from the changelog) into the map, once. */
  private void load() {
    if (loaded) {
      return;
    }
    sums.clear();
    try (KeyValueIterator<Bytes, byte[]> all = inner.all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> entry = all.next();
        BinaryReader slot = new BinaryReader(entry.key.get(), 0, "a waiting sum's key");
        long bucket = slot.readLong();
        K key = keys.decode(slot);
        slot.expectEnd();
        BinaryReader in = new BinaryReader(entry.value, 0, "a waiting sum");
        long latest = in.readLong();
        V value = values.decode(in);
        in.expectEnd();
        Sum<V> sum = new Sum<>(value, latest);
        sum.dirty = false;
        sum.stored = true;
        sums.put(new Slot<>(key, bucket), sum);
      }
    }
    loaded = true;
  }

  private Bytes storeKey(Slot<K> slot) {
    BinaryWriter out = new BinaryWriter(48);
    out.writeLong(slot.bucket());
    keys.encode(slot.key(), out);
    return Bytes.wrap(out.toByteArray());
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    clearCache();
    super.init(context, root);
  }

  @Override
  public void close() {
    clearCache();
    super.close();
  }

  /** A key in its bucket. */
  private record Slot<K>(K key, long bucket) {}

  /** A waiting sum: the value, the latest event time in it, whether it changed since the last commit and whether the logged store has it. */
  private static final class Sum<V> {
    V value;
    long latest;
    boolean dirty = true;
    boolean stored;

    Sum(V value, long latest) {
      this.value = value;
      this.latest = latest;
    }
  }

  /** Builds the logged store and wraps it. */
  private static final class Builder<K, V> implements StoreBuilder<WaitingSums<K, V>> {
    private final StoreBuilder<KeyValueStore<Bytes, byte[]>> logged;
    private final BinarySerde<K> keys;
    private final BinarySerde<V> values;

    Builder(StoreBuilder<KeyValueStore<Bytes, byte[]>> logged, BinarySerde<K> keys, BinarySerde<V> values) {
      this.logged = logged;
      this.keys = keys;
      this.values = values;
    }

    @Override
    public StoreBuilder<WaitingSums<K, V>> withCachingEnabled() {
      throw new UnsupportedOperationException("waiting sums are their own cache");
    }

    @Override
    public StoreBuilder<WaitingSums<K, V>> withCachingDisabled() {
      return this;
    }

    @Override
    public StoreBuilder<WaitingSums<K, V>> withLoggingEnabled(Map<String, String> config) {
      logged.withLoggingEnabled(config);
      return this;
    }

    @Override
    public StoreBuilder<WaitingSums<K, V>> withLoggingDisabled() {
      throw new UnsupportedOperationException("waiting sums must be logged: they are what exactly-once restores");
    }

    @Override
    public WaitingSums<K, V> build() {
      return new WaitingSums<>(logged.build(), keys, values);
    }

    @Override
    public Map<String, String> logConfig() {
      return logged.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
      return logged.loggingEnabled();
    }

    @Override
    public String name() {
      return logged.name();
    }
  }
}
