package dev.tollway.config.publish;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Creates the Kafka clients config-service uses; tests substitute Kafka's mock clients. */
public interface KafkaClients {

  /** A producer of string keys and raw snapshot bytes. */
  Producer<String, byte[]> producer(Map<String, Object> config);

  /** A consumer of string keys and raw snapshot bytes, for reading the topic back at start. */
  Consumer<String, byte[]> consumer(Map<String, Object> config);

  /** An Admin client, for creating missing topics at start. */
  default Admin admin(Map<String, Object> config) {
    return Admin.create(config);
  }

  /** Real Kafka clients. */
  static KafkaClients kafka() {
    return new KafkaClients() {
      @Override
      public Producer<String, byte[]> producer(Map<String, Object> config) {
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
      }

      @Override
      public Consumer<String, byte[]> consumer(Map<String, Object> config) {
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
      }
    };
  }
}
