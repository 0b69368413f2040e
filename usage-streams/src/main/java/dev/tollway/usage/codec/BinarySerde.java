package dev.tollway.usage.codec;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * A serde of one internal type in a compact binary form: a format byte ({@link #FORMAT}), then the fields as
 * the type's {@link Encoder} writes them. Data written before this form existed (JSON, which starts with
 * {@code '{'}) is still read when a legacy deserializer is given, so stores, changelogs and repartition topics
 * written by an earlier version keep working. Anything else is a {@link SerializationException} naming the
 * type. Thread-safe.
 *
 * @param <T> the type
 */
public final class BinarySerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

  /** The first byte of every value in this form (never the first byte of JSON or of UTF-8 text). */
  public static final int FORMAT = 0xB1;

  /** Writes a value's fields. */
  @FunctionalInterface
  public interface Encoder<T> {
    void write(T value, BinaryWriter out);
  }

  /** Reads a value's fields; may throw {@link IllegalArgumentException} for values that do not validate. */
  @FunctionalInterface
  public interface Decoder<T> {
    T read(BinaryReader in);
  }

  private final String name;
  private final Encoder<T> encoder;
  private final Decoder<T> decoder;
  private final @Nullable Deserializer<T> legacy;

  private BinarySerde(String name, Encoder<T> encoder, Decoder<T> decoder, @Nullable Deserializer<T> legacy) {
    this.name = requireNonNull(name, "name");
    this.encoder = requireNonNull(encoder, "encoder");
    this.decoder = requireNonNull(decoder, "decoder");
    this.legacy = legacy;
  }

  /** The serde of a type; {@code name} names it in errors. */
  public static <T> BinarySerde<T> of(String name, Encoder<T> encoder, Decoder<T> decoder) {
    return new BinarySerde<>(name, encoder, decoder, null);
  }

  /** This serde, also reading values that start with {@code '{'} (the JSON of earlier versions) with {@code json}. */
  public BinarySerde<T> readingLegacyJson(Deserializer<T> json) {
    return new BinarySerde<>(name, encoder, decoder, requireNonNull(json, "json"));
  }

  /** The name used in errors. */
  public String name() {
    return name;
  }

  @Override
  public byte @Nullable [] serialize(String topic, @Nullable T data) {
    if (data == null) {
      return null;
    }
    BinaryWriter out = new BinaryWriter();
    out.writeByte(FORMAT);
    encoder.write(data, out);
    return out.toByteArray();
  }

  @Override
  public @Nullable T deserialize(String topic, byte @Nullable [] data) {
    if (data == null) {
      return null;
    }
    if (data.length == 0) {
      throw new SerializationException("cannot decode " + name + ": no bytes");
    }
    int format = data[0] & 0xFF;
    if (format == FORMAT) {
      BinaryReader in = new BinaryReader(data, 1, name);
      T value = decode(in);
      in.expectEnd();
      return value;
    }
    if (format == '{' && legacy != null) {
      return legacy.deserialize(topic, data);
    }
    throw new SerializationException(
        "cannot decode " + name + ": unknown format byte 0x" + Integer.toHexString(format));
  }

  /** Writes a value's fields without the format byte, to compose it into a larger encoding. */
  public void encode(T value, BinaryWriter out) {
    encoder.write(requireNonNull(value, "value"), out);
  }

  /** Reads fields written by {@link #encode(Object, BinaryWriter)}. */
  public T decode(BinaryReader in) {
    try {
      return decoder.read(in);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw in.corrupt(String.valueOf(e.getMessage()));
    }
  }

  @Override
  public Serializer<T> serializer() {
    return this;
  }

  @Override
  public Deserializer<T> deserializer() {
    return this;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {}

  @Override
  public void close() {}
}
