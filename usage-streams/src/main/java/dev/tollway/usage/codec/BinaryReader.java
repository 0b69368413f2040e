package dev.tollway.usage.codec;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads what a {@link BinaryWriter} wrote. Input that does not decode (truncated, an overlong number, a
 * string longer than what is left) raises a {@link SerializationException} saying what and where, never
 * an index or arithmetic error.
 */
public final class BinaryReader {

  private final byte[] bytes;
  private final String what;
  private int position;
  private final int end;

  /** A reader of {@code bytes} from {@code offset} to the end; {@code what} names the data in errors. */
  public BinaryReader(byte[] bytes, int offset, String what) {
    this.bytes = requireNonNull(bytes, "bytes");
    this.what = requireNonNull(what, "what");
    if (offset < 0 || offset > bytes.length) {
      throw new IllegalArgumentException("offset: " + offset + " (expected: 0 to " + bytes.length + ")");
    }
    this.position = offset;
    this.end = bytes.length;
  }

  /** Reads one byte (0 to 255). */
  public int readByte() {
    if (position >= end) {
      throw corrupt("truncated");
    }
    return bytes[position++] & 0xFF;
  }

  /** Reads a long written by {@link BinaryWriter#writeLong(long)}. */
  public long readLong() {
    long zigZag = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (position >= end) {
        throw corrupt("truncated");
      }
      byte b = bytes[position++];
      zigZag |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return (zigZag >>> 1) ^ -(zigZag & 1);
      }
    }
    throw corrupt("a number longer than 10 bytes");
  }

  /** Reads a string written by {@link BinaryWriter#writeString(String)}. */
  public String readString() {
    long length = readLong();
    if (length < 0 || length > end - position) {
      throw corrupt("a string of " + length + " bytes where " + (end - position) + " are left");
    }
    String value = new String(bytes, position, (int) length, StandardCharsets.UTF_8);
    position += (int) length;
    return value;
  }

  /** Reads a long that must lie in {@code [min, max]}. */
  public long readLong(long min, long max) {
    long value = readLong();
    if (value < min || value > max) {
      throw corrupt(value + " where " + min + " to " + max + " was expected");
    }
    return value;
  }

  /** The bytes from here to the end, as a new array; the reader is then at the end. */
  public byte[] readRest() {
    byte[] rest = java.util.Arrays.copyOfRange(bytes, position, end);
    position = end;
    return rest;
  }

  /** Fails unless every byte was read. */
  public void expectEnd() {
    if (position != end) {
      throw corrupt((end - position) + " unexpected trailing bytes");
    }
  }

  /** An error about this input: {@code "cannot decode <what>: <reason> (at byte <n>)"}. */
  public SerializationException corrupt(String reason) {
    return new SerializationException("cannot decode " + what + ": " + reason + " (at byte " + position + ")");
  }
}
