package dev.tollway.usage.topology;

import java.util.concurrent.atomic.AtomicLong;

/** Counts the input records that were skipped because they did not decode. Thread-safe. */
public final class SkippedRecords {

  /** The Streams config entry through which {@link SkipUndecodableRecords} finds its counter. */
  public static final String CONFIG_KEY = "tollway.usage.skipped.records";

  private final AtomicLong count = new AtomicLong();

  void increment() {
    count.incrementAndGet();
  }

  /** How many records were skipped since start. */
  public long count() {
    return count.get();
  }
}
