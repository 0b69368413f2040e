package dev.tollway.usage.topology;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skips an input record that does not decode (not JSON, not a usage event, a required field missing):
 * logs where it was and why, counts it in the {@link SkippedRecords} given through the config, and lets
 * processing go on. A bad record from outside never stops the app. The payload itself is not logged.
 */
public final class SkipUndecodableRecords implements DeserializationExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(SkipUndecodableRecords.class);

  private SkippedRecords skipped = new SkippedRecords();

  /** Sets this handler and its counter in Streams properties. */
  public static void install(Properties properties, SkippedRecords skipped) {
    requireNonNull(properties, "properties");
    requireNonNull(skipped, "skipped");
    properties.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipUndecodableRecords.class.getName());
    properties.put(SkippedRecords.CONFIG_KEY, skipped);
  }

  @Override
  public void configure(Map<String, ?> configs) {
    if (configs.get(SkippedRecords.CONFIG_KEY) instanceof SkippedRecords given) {
      skipped = given;
    }
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    skipped.increment();
    LOG.warn(
        "skipping a record that does not decode: topic={} partition={} offset={} reason={}",
        record.topic(),
        record.partition(),
        record.offset(),
        exception.getMessage());
    return Response.resume();
  }
}
