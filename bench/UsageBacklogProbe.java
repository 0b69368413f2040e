import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until a consumer group has committed every record of a topic, for {@code bench/run.sh}: after the
 * pipeline JVM was paused, the usage events edge-proxy kept meanwhile must all be counted by usage-streams before
 * the next measurement, or the catching up would run during it.
 *
 * <p>The backlog is the topic's end offsets minus the group's committed offsets, summed over the partitions (a
 * partition the group never committed counts from its first offset). The consumer's own lag metric will not do:
 * it is stale until the consumer's first fetch after a pause or a rebalance. Polls every 500 ms and returns once
 * the backlog was zero on two polls in a row; prints {@code backlog=N} at the end and exits 1 if it was not
 * zero within {@code --seconds}.
 *
 * <p>Compiled and run by the script with the Kafka clients on the class path: {@code java -cp ...
 * UsageBacklogProbe --bootstrap 127.0.0.1:9092 --topic tollway.usage.v1 --group tollway-usage-streams
 * [--seconds 300]}.
 */
public final class UsageBacklogProbe {

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    String topic = required(options, "--topic");
    String group = required(options, "--group");
    Duration wait = Duration.ofSeconds(Long.parseLong(options.getOrDefault("--seconds", "300")));
    long deadline = System.nanoTime() + wait.toNanos();
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, required(options, "--bootstrap"));
    try (Admin admin = Admin.create(properties)) {
      List<TopicPartition> partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      long backlog = -1;
      int zeroes = 0;
      while (zeroes < 2 && System.nanoTime() < deadline) {
        backlog = backlog(admin, partitions, group);
        zeroes = backlog == 0 ? zeroes + 1 : 0;
        if (zeroes < 2) {
          Thread.sleep(500);
        }
      }
      System.out.println("backlog=" + backlog);
      System.exit(zeroes == 2 ? 0 : 1);
    }
  }

  private static long backlog(Admin admin, List<TopicPartition> partitions, String group) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    List<TopicPartition> neverCommitted = partitions.stream().filter(p -> committed.get(p) == null).toList();
    Map<TopicPartition, Long> from = new HashMap<>(offsets(admin, neverCommitted, OffsetSpec.earliest()));
    committed.forEach((partition, done) -> from.put(partition, done.offset()));
    Map<TopicPartition, Long> end = offsets(admin, partitions, OffsetSpec.latest());
    return partitions.stream().mapToLong(p -> end.get(p) - from.get(p)).sum();
  }

  private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
      throws Exception {
    if (partitions.isEmpty()) {
      return Map.of();
    }
    Map<TopicPartition, ListOffsetsResultInfo> found =
        admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), p -> spec))).all().get();
    return found.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  private static Map<String, String> options(String[] args) {
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("expected --name value pairs, got " + List.of(args));
    }
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      options.put(args[i], args[i + 1]);
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException(name + " is required");
    }
    return value;
  }
}
