package dev.tollway.config.watch;

import java.io.IOException;

/**
 * Where config-service reads its resources from. Level-based: a source only says that something changed;
 * the reader then reads the whole state again.
 */
public interface ConfigSource extends AutoCloseable {

  /**
   * Starts watching; {@code onChange} runs (on a thread of the source) after every change, possibly
   * coalescing several changes into one call. It must return quickly.
   */
  void watch(Runnable onChange) throws IOException;

  /**
   * Reads the whole current state.
   *
   * @throws IOException when the source as a whole cannot be read (as opposed to single bad documents,
   *     which are reported in {@link SourceState#problems()})
   */
  SourceState read() throws IOException;

  /** Whether the source is still watching for changes. */
  boolean isWatching();

  /** Stops watching. Idempotent. */
  @Override
  void close();
}
