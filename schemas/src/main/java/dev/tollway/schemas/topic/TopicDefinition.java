package dev.tollway.schemas.topic;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.serde.JsonSerde;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A topic of the contract.
 *
 * @param name the topic name; it ends in a version, and a breaking change is a new topic
 * @param key what the record key is
 * @param valueType the record type of the value
 * @param schema the classpath resource of the value's JSON Schema
 * @param partitions the number of partitions
 * @param compacted whether the topic is compacted ({@code cleanup.policy=compact}) or time-retained
 * @param configs further topic configs
 */
public record TopicDefinition<V>(
    String name,
    String key,
    Class<V> valueType,
    String schema,
    int partitions,
    boolean compacted,
    Map<String, String> configs) {

  public TopicDefinition {
    requireNonNull(name, "name");
    requireNonNull(key, "key");
    requireNonNull(valueType, "valueType");
    requireNonNull(schema, "schema");
    configs = Map.copyOf(configs);
  }

  /** {@code compact} or {@code delete}. */
  public String cleanupPolicy() {
    return compacted ? "compact" : "delete";
  }

  /** All topic configs, the cleanup policy included, sorted by name. */
  public Map<String, String> allConfigs() {
    Map<String, String> all = new TreeMap<>(configs);
    all.put("cleanup.policy", cleanupPolicy());
    return all;
  }

  /** The admin-client request that creates this topic with the given replication factor. */
  public NewTopic newTopic(short replicationFactor) {
    return new NewTopic(name, Optional.of(partitions), Optional.of(replicationFactor)).configs(allConfigs());
  }

  /** The value serde. */
  public JsonSerde<V> serde() {
    return JsonSerde.of(valueType);
  }
}
