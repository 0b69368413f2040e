package dev.tollway.usage.topology;

import static java.util.Objects.requireNonNull;

import dev.tollway.usage.codec.BinarySerde;
import java.time.Duration;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.function.Supplier;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Sums what the events of one task contribute per key and time bucket for a short interval, then sends the
 * sums on: the combiner in front of a repartition. Instead of one repartitioned record per event, the topic
 * carries one per key and bucket per interval, so the repartition, the aggregation behind it and their
 * (de)serialisation cost what the number of groups costs, not what the number of events does.
 *
 * <p>Exactly once: the sums wait in a {@link WaitingSums} store — objects in a hash map, written into a logged
 * store just before each commit, so they commit in the same transaction as the input offsets they cover; a
 * wall-clock punctuator every {@code interval} forwards each sum, stamped with the latest event time in it, and
 * deletes it — the forwarded records and the deletes commit together too. After a crash the store comes back
 * as it was committed, with the offsets.
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
  private final BinaryOperator<V> plus;
  private @Nullable ProcessorContext<K, V> context;
  private @Nullable WaitingSums<K, V> sums;

  private PreAggregate(String storeName, Duration interval, Parts<I, K, V> parts, BinaryOperator<V> plus) {
    this.storeName = storeName;
    this.intervalMillis = interval.toMillis();
    this.parts = parts;
    this.plus = plus;
  }

  /**
   * The processor with its store of sums.
   *
   * @param storeName the store ({@link WaitingSums}: a hash map over a logged in-memory store)
   * @param interval how long parts are summed before they are forwarded; zero forwards each at once
   * @param parts what each input contributes (a new instance per task)
   * @param keys the binary form of the keys (in the changelog)
   * @param values the binary form of the values (in the changelog)
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
    StoreBuilder<WaitingSums<K, V>> store = WaitingSums.builder(storeName, keys, values);
    return new ProcessorSupplier<>() {
      @Override
      public Processor<String, I, K, V> get() {
        return new PreAggregate<>(storeName, interval, parts.get(), plus);
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
    sums().add(key, bucket, value, timestamp, plus);
  }

  /**
   * Forwards every sum, stamped with its latest event time, and deletes it — oldest first, so that the stream
   * time of the aggregation behind passes a sum's window no sooner than the events of this task would have
   * made it one by one (a sum is never dropped as too late because a newer sum went ahead of it).
   */
  private void forwardAll() {
    ProcessorContext<K, V> processorContext = context();
    sums().drain((key, sum, latest) -> processorContext.forward(new Record<>(key, sum, latest)));
  }

  private ProcessorContext<K, V> context() {
    return requireNonNull(context, "context");
  }

  private WaitingSums<K, V> sums() {
    return requireNonNull(sums, "sums");
  }
}
