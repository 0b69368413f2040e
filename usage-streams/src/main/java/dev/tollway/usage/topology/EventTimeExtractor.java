package dev.tollway.usage.topology;

import dev.tollway.schemas.usage.UsageEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Takes a usage event's {@code endTime} as its record time, so a request counts in the minute it ended in,
 * whenever the event reaches Kafka. Anything else keeps the record's own timestamp.
 */
public final class EventTimeExtractor implements TimestampExtractor {

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    if (record.value() instanceof UsageEvent event) {
      return event.endTime().toEpochMilli();
    }
    return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
  }
}
