package dev.tollway.edge.pipeline;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Collects an upstream body up to a limit. */
final class BoundedBody {

  /** The largest upstream body read whole (answers, error bodies). */
  static final int MAX_BYTES = 32 * 1024 * 1024;

  private final int limit;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private boolean overflowed;

  BoundedBody(int limit) {
    this.limit = limit;
  }

  /** Appends the chunk; returns false (and keeps nothing more) once the limit is passed. */
  boolean append(ByteBuffer chunk) {
    if (overflowed) {
      return false;
    }
    int n = chunk.remaining();
    if (bytes.size() + (long) n > limit) {
      overflowed = true;
      return false;
    }
    byte[] copy = new byte[n];
    chunk.get(copy);
    bytes.write(copy, 0, n);
    return true;
  }

  boolean overflowed() {
    return overflowed;
  }

  byte[] toByteArray() {
    return bytes.toByteArray();
  }
}
