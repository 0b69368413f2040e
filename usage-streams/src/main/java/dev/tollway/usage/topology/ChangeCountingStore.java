package dev.tollway.usage.topology;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;

/**
 * A key-value store that counts the writes made to it, so that a reader of a global store — read for every
 * event, written rarely by the global thread — can tell in one volatile read whether anything changed since it
 * last looked ({@link BudgetBook}). Writes by a restoration go to the inner store directly and are not
 * counted; a reader therefore reads the whole store once before it relies on the count. The store must not be
 * cached (a record cache would hold writes above it until a flush).
 */
final class ChangeCountingStore extends ForwardingStateStore<KeyValueStore<Bytes, byte[]>>
    implements KeyValueStore<Bytes, byte[]> {

  private final AtomicLong changes;

  private ChangeCountingStore(KeyValueStore<Bytes, byte[]> inner, AtomicLong changes) {
    super(inner);
    this.changes = changes;
  }

  /** Stores of {@code inner}'s kind whose writes all increment {@code changes}. */
  static KeyValueBytesStoreSupplier counting(KeyValueBytesStoreSupplier inner, AtomicLong changes) {
    requireNonNull(inner, "inner");
    requireNonNull(changes, "changes");
    return new KeyValueBytesStoreSupplier() {
      @Override
      public String name() {
        return inner.name();
      }

      @Override
      public KeyValueStore<Bytes, byte[]> get() {
        return new ChangeCountingStore(inner.get(), changes);
      }

      @Override
      public String metricsScope() {
        return inner.metricsScope();
      }
    };
  }

  @Override
  public void put(Bytes key, byte @Nullable [] value) {
    inner.put(key, value);
    changes.incrementAndGet();
  }

  @Override
  public byte @Nullable [] putIfAbsent(Bytes key, byte @Nullable [] value) {
    byte[] before = inner.putIfAbsent(key, value);
    changes.incrementAndGet();
    return before;
  }

  @Override
  public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
    inner.putAll(entries);
    changes.incrementAndGet();
  }

  @Override
  public byte @Nullable [] delete(Bytes key) {
    byte[] before = inner.delete(key);
    changes.incrementAndGet();
    return before;
  }

  @Override
  public byte @Nullable [] get(Bytes key) {
    return inner.get(key);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> range(@Nullable Bytes from, @Nullable Bytes to) {
    return inner.range(from, to);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseRange(@Nullable Bytes from, @Nullable Bytes to) {
    return inner.reverseRange(from, to);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> all() {
    return inner.all();
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseAll() {
    return inner.reverseAll();
  }

  @Override
  public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
    return inner.prefixScan(prefix, prefixKeySerializer);
  }

  @Override
  public long approximateNumEntries() {
    return inner.approximateNumEntries();
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    super.init(context, root);
    changes.incrementAndGet();
  }

  @Override
  public void close() {
    super.close();
    changes.incrementAndGet();
  }
}
