package dev.tollway.edge.usage;

import java.util.List;

/**
 * Usage records waiting for Kafka, oldest first: appended when Kafka cannot take them, read back in order,
 * removed once Kafka acknowledged them. Used by one thread at a time.
 */
interface Spool extends AutoCloseable {

  /** Keeps a record; false when the spool is full (the record is not kept). */
  boolean append(SpooledRecord record);

  /** Up to {@code max} of the oldest records not yet acknowledged, without removing them. */
  List<SpooledRecord> peek(int max);

  /** The first {@code count} records of the last {@link #peek} were delivered: they are removed. */
  void acknowledge(int count);

  boolean isEmpty();

  boolean isFull();

  /** Records held. */
  long size();

  /** Bytes held (approximately, for a metric). */
  long bytes();

  /** Whether records survive a restart of the proxy. */
  boolean persistent();

  @Override
  void close();

  /**
   * One usage event as it goes to Kafka.
   *
   * @param key the record key (the request id)
   * @param value the serialized {@code UsageEvent}
   */
  record SpooledRecord(String key, byte[] value) {}
}
