package dev.tollway.usage.codec;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * A serde that remembers the values it decoded, by their bytes, and decodes each distinct value once: for
 * stores that are read far more often than they change (the price catalog and the budgets, read for every
 * event). Values must be immutable. At most {@code capacity} values are remembered (then it starts over).
 * Thread-safe.
 *
 * @param <T> the type
 */
public final class RememberingSerde<T> implements Serde<T>, Deserializer<T> {

  private final Serde<T> inner;
  private final int capacity;
  private final Map<ByteBuffer, T> decoded = new ConcurrentHashMap<>();

  private RememberingSerde(Serde<T> inner, int capacity) {
    this.inner = requireNonNull(inner, "inner");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: at least 1)");
    }
    this.capacity = capacity;
  }

  /** {@code inner}, remembering up to {@code capacity} decoded values. */
  public static <T> RememberingSerde<T> of(Serde<T> inner, int capacity) {
    return new RememberingSerde<>(inner, capacity);
  }

  @Override
  public @Nullable T deserialize(String topic, byte @Nullable [] data) {
    if (data == null) {
      return null;
    }
    T known = decoded.get(ByteBuffer.wrap(data));
    if (known != null) {
      return known;
    }
    T value = inner.deserializer().deserialize(topic, data);
    if (value != null) {
      if (decoded.size() >= capacity) {
        decoded.clear();
      }
      decoded.put(ByteBuffer.wrap(Arrays.copyOf(data, data.length)), value);
    }
    return value;
  }

  /** How many decoded values are remembered now. */
  public int remembered() {
    return decoded.size();
  }

  @Override
  public Serializer<T> serializer() {
    return inner.serializer();
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    inner.configure(configs, isKey);
  }

  @Override
  public void close() {}
}
