package dev.tollway.usage.topology;

import static java.util.Objects.requireNonNull;

import dev.tollway.usage.codec.BinaryReader;
import dev.tollway.usage.codec.BinarySerde;
import dev.tollway.usage.codec.BinaryWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.jspecify.annotations.Nullable;

/**
 * Sums what the events of one task contribute per key and time bucket for a short interval, then sends the
 * sums on: the combiner in front of a repartition. Instead of one repartitioned record per event, the topic
 * carries one per key and bucket per interval, so the repartition, the aggregation behind it and their
 * (de)serialisation cost what the number of groups costs, not what the number of events does.
 *
 * <p>Exactly once: the sums wait in a logged state store (in memory, cached, so its changelog sees one
 * write per key per commit), which commits in the same transaction as the input offsets; a wall-clock
 * punctuator every {@code interval} forwards each sum, stamped with the latest event time in it, and deletes
 * it — the forwarded records and the deletes commit together too. After a crash the store comes back as it
 * was committed, with the offsets.
 *
 * <p>Time: each part names its bucket (the minute, the day, the second of the event), so a sum never mixes
 * events of two windows of the aggregation behind; its timestamp lies in that bucket. An interval of zero
 * forwards every part at once, as it comes (the store stays empty).
 *
 * @param <I> the input value
 * @param <K> the key of the parts (the key of the repartition)
 * @param <V> the summed value
 */
final class PreAggregate<I, K, V> implements Processor<String, I, K, V> {

  /** What an input contributes: zero or more parts, each a key, a bucket and a value. */
  interface Parts<I, K, V> {

    /** Called once with the processor's context, to reach stores. */
    default void init(ProcessorContext<?, ?> context) {}

    /** Hands each part of {@code input} (whose time is {@code timestamp}) to {@code sink}. */
    void of(I input, long timestamp, Sink<K, V> sink);
  }

  /** Takes parts. */
  @FunctionalInterface
  interface Sink<K, V> {
    void add(K key, long bucket, V value);
  }

  private final String storeName;
  private final long intervalMillis;
  private final Parts<I, K, V> parts;
  private final BinarySerde<K> keys;
  private final BinarySerde<V> values;
  private final BinaryOperator<V> plus;
  private @Nullable ProcessorContext<K, V> context;
  private @Nullable KeyValueStore<Bytes, byte[]> sums;

  private PreAggregate(
      String storeName,
      Duration interval,
      Parts<I, K, V> parts,
      BinarySerde<K> keys,
      BinarySerde<V> values,
      BinaryOperator<V> plus) {
    this.storeName = storeName;
    this.intervalMillis = interval.toMillis();
    this.parts = parts;
    this.keys = keys;
    this.values = values;
    this.plus = plus;
  }

  /**
   * The processor with its store of sums.
   *
   * @param storeName the store (in memory, logged, cached)
   * @param interval how long parts are summed before they are forwarded; zero forwards each at once
   * @param parts what each input contributes (a new instance per task)
   * @param keys the binary form of the keys
   * @param values the binary form of the values
   * @param plus how two values of the same key and bucket add up (the earlier one first)
   */
  static <I, K, V> ProcessorSupplier<String, I, K, V> supplier(
      String storeName,
      Duration interval,
      Supplier<? extends Parts<I, K, V>> parts,
      BinarySerde<K> keys,
      BinarySerde<V> values,
      BinaryOperator<V> plus) {
    requireNonNull(storeName, "storeName");
    requireNonNull(interval, "interval");
    requireNonNull(parts, "parts");
    requireNonNull(keys, "keys");
    requireNonNull(values, "values");
    requireNonNull(plus, "plus");
    if (interval.isNegative()) {
      throw new IllegalArgumentException("interval: " + interval + " (expected: zero or more)");
    }
    StoreBuilder<KeyValueStore<Bytes, byte[]>> store =
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(storeName), Serdes.Bytes(), Serdes.ByteArray())
            .withCachingEnabled();
    return new ProcessorSupplier<>() {
      @Override
      public Processor<String, I, K, V> get() {
        return new PreAggregate<>(storeName, interval, parts.get(), keys, values, plus);
      }

      @Override
      public Set<StoreBuilder<?>> stores() {
        return Set.of(store);
      }
    };
  }

  @Override
  public void init(ProcessorContext<K, V> context) {
    this.context = context;
    this.sums = context.getStateStore(storeName);
    parts.init(context);
    // with an interval of zero nothing waits, but sums left by an earlier run with an interval still go out
    long every = intervalMillis > 0 ? intervalMillis : Duration.ofSeconds(1).toMillis();
    context.schedule(Duration.ofMillis(every), PunctuationType.WALL_CLOCK_TIME, now -> forwardAll());
  }

  @Override
  public void process(Record<String, I> record) {
    long timestamp = record.timestamp();
    parts.of(record.value(), timestamp, (key, bucket, value) -> add(key, bucket, value, timestamp));
  }

  private void add(K key, long bucket, V value, long timestamp) {
    if (intervalMillis == 0) {
      context().forward(new Record<>(key, value, timestamp));
      return;
    }
    BinaryWriter slot = new BinaryWriter(48);
    slot.writeLong(bucket);
    keys.encode(key, slot);
    Bytes slotKey = Bytes.wrap(slot.toByteArray());
    KeyValueStore<Bytes, byte[]> store = sums();
    byte[] before = store.get(slotKey);
    V sum = value;
    long latest = timestamp;
    if (before != null) {
      BinaryReader in = new BinaryReader(before, 0, "a partial sum");
      latest = Math.max(latest, in.readLong());
      sum = plus.apply(values.decode(in), value);
      in.expectEnd();
    }
    BinaryWriter out = new BinaryWriter(96);
    out.writeLong(latest);
    values.encode(sum, out);
    store.put(slotKey, out.toByteArray());
  }

  /**
   * Forwards every sum, stamped with its latest event time, and deletes it — oldest first, so that the stream
   * time of the aggregation behind passes a sum's window no sooner than the events of this task would have
   * made it one by one (a sum is never dropped as too late because a newer sum went ahead of it).
   */
  private void forwardAll() {
    KeyValueStore<Bytes, byte[]> store = sums();
    List<Waiting<K, V>> waiting = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> entry = all.next();
        BinaryReader slot = new BinaryReader(entry.key.get(), 0, "a partial sum's key");
        slot.readLong(); // the bucket: part of the store key only, the timestamp lies in it
        K key = keys.decode(slot);
        slot.expectEnd();
        BinaryReader in = new BinaryReader(entry.value, 0, "a partial sum");
        long latest = in.readLong();
        V sum = values.decode(in);
        in.expectEnd();
        waiting.add(new Waiting<>(entry.key, key, sum, latest));
      }
    }
    waiting.sort(Comparator.comparingLong(Waiting::latest));
    for (Waiting<K, V> sum : waiting) {
      store.delete(sum.slot());
      context().forward(new Record<>(sum.key(), sum.sum(), sum.latest()));
    }
  }

  /** A sum read from the store, to be sent. */
  private record Waiting<K, V>(Bytes slot, K key, V sum, long latest) {}

  private ProcessorContext<K, V> context() {
    return requireNonNull(context, "context");
  }

  private KeyValueStore<Bytes, byte[]> sums() {
    return requireNonNull(sums, "sums");
  }
}
