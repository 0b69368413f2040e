package dev.tollway.edge.testing;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;

/**
 * Kafka's {@link MockConsumer}, but {@code poll} waits for records up to its timeout like the real consumer
 * instead of returning at once, so the proxy's consumer loop does not spin in tests.
 */
public final class PacedMockConsumer<K, V> extends MockConsumer<K, V> {

  public PacedMockConsumer() {
    super("earliest");
  }

  @Override
  public synchronized ConsumerRecords<K, V> poll(Duration timeout) {
    ConsumerRecords<K, V> records = super.poll(timeout);
    if (records.isEmpty()) {
      try {
        wait(Math.max(1, Math.min(timeout.toMillis(), 200)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return super.poll(Duration.ZERO);
    }
    return records;
  }

  @Override
  public synchronized void addRecord(ConsumerRecord<K, V> record) {
    super.addRecord(record);
    notifyAll();
  }

  @Override
  public synchronized void wakeup() {
    super.wakeup();
    notifyAll();
  }
}
