package dev.tollway.usage.codec;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes values into a growing byte array: longs as zig-zag variable-length integers (1 byte for small
 * counts), strings as their UTF-8 length and bytes. Read back with {@link BinaryReader}. Not thread-safe.
 */
public final class BinaryWriter {

  private byte[] bytes;
  private int size;

  public BinaryWriter() {
    this(64);
  }

  public BinaryWriter(int capacity) {
    this.bytes = new byte[Math.max(16, capacity)];
  }

  /** Appends one byte. */
  public BinaryWriter writeByte(int value) {
    ensure(1);
    bytes[size++] = (byte) value;
    return this;
  }

  /** Appends a long, zig-zag and variable-length encoded (1 to 10 bytes). */
  public BinaryWriter writeLong(long value) {
    ensure(10);
    long zigZag = (value << 1) ^ (value >> 63);
    while ((zigZag & ~0x7FL) != 0) {
      bytes[size++] = (byte) ((zigZag & 0x7F) | 0x80);
      zigZag >>>= 7;
    }
    bytes[size++] = (byte) zigZag;
    return this;
  }

  /** Appends a string: its UTF-8 length, then its UTF-8 bytes. */
  public BinaryWriter writeString(String value) {
    requireNonNull(value, "value");
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    writeLong(utf8.length);
    ensure(utf8.length);
    System.arraycopy(utf8, 0, bytes, size, utf8.length);
    size += utf8.length;
    return this;
  }

  /** Appends bytes as they are (no length). */
  public BinaryWriter writeRaw(byte[] raw) {
    requireNonNull(raw, "raw");
    ensure(raw.length);
    System.arraycopy(raw, 0, bytes, size, raw.length);
    size += raw.length;
    return this;
  }

  /** The bytes written so far, as a new array. */
  public byte[] toByteArray() {
    return Arrays.copyOf(bytes, size);
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}
