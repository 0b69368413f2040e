package dev.tollway.edge.testing;

import static org.awaitility.Awaitility.await;

import dev.tollway.edge.EdgeProxy;
import dev.tollway.edge.EdgeProxyConfig;
import dev.tollway.edge.provider.ProtocolLookup;
import dev.tollway.edge.trace.OtelTracing;
import dev.tollway.edge.trace.TraceSettings;
import dev.tollway.edge.trace.Tracing;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.usage.UsageEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An edge-proxy in process on free ports, fed snapshots through a mock consumer of the config topic and
 * publishing usage to a mock producer, with the test protocols.
 */
public final class TestStack implements AutoCloseable {

  public final SnapshotCipher cipher;
  public final PacedMockConsumer<String, byte[]> consumer;
  public final PacedMockConsumer<String, byte[]> quotaConsumer;
  public final MockProducer<String, byte[]> producer;
  public final EdgeProxy proxy;
  public final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private long offset;
  private long quotaOffset;

  private TestStack(
      SnapshotCipher cipher, EdgeProxy proxy, MockProducer<String, byte[]> producer,
      PacedMockConsumer<String, byte[]> consumer, PacedMockConsumer<String, byte[]> quotaConsumer) {
    this.cipher = cipher;
    this.consumer = consumer;
    this.quotaConsumer = quotaConsumer;
    this.proxy = proxy;
    this.producer = producer;
  }

  /** A started proxy whose config topic has one partition and no records yet. */
  public static TestStack start(Path stateDir, Clock clock, Map<String, String> extraEnv) {
    return start(stateDir, clock, extraEnv, SnapshotCipher.generate(), null, true);
  }

  /**
   * @param producer the usage producer, or null for an auto-completing mock
   * @param kafkaReachable whether the mock consumer finds the config topic
   */
  public static TestStack start(
      Path stateDir, Clock clock, Map<String, String> extraEnv, SnapshotCipher cipher,
      @org.jspecify.annotations.Nullable Producer<String, byte[]> producer, boolean kafkaReachable) {
    return start(stateDir, clock, extraEnv, cipher, producer, kafkaReachable, TestProtocol.lookup());
  }

  /** A started proxy with these provider protocols (the real ones: {@code ProviderProtocols.system()}). */
  public static TestStack start(Path stateDir, Clock clock, ProtocolLookup protocols) {
    return start(stateDir, clock, Map.of(), protocols);
  }

  /** A started proxy with these protocols and these extra settings. */
  public static TestStack start(Path stateDir, Clock clock, Map<String, String> extraEnv, ProtocolLookup protocols) {
    return start(stateDir, clock, extraEnv, SnapshotCipher.generate(), null, true, protocols);
  }

  /** As above, with the given provider protocols (the real ones answer errors in the real shapes). */
  public static TestStack start(
      Path stateDir, Clock clock, Map<String, String> extraEnv, SnapshotCipher cipher,
      @org.jspecify.annotations.Nullable Producer<String, byte[]> producer, boolean kafkaReachable,
      ProtocolLookup protocols) {
    return start(stateDir, clock, extraEnv, cipher, producer, kafkaReachable, protocols, OtelTracing::of);
  }

  /** A started proxy with these protocols and this request tracing (an in-memory exporter, say). */
  public static TestStack start(Path stateDir, Clock clock, ProtocolLookup protocols, Tracing tracing) {
    return start(stateDir, clock, Map.of(), SnapshotCipher.generate(), null, true, protocols, settings -> tracing);
  }

  private static TestStack start(
      Path stateDir, Clock clock, Map<String, String> extraEnv, SnapshotCipher cipher,
      @org.jspecify.annotations.Nullable Producer<String, byte[]> producer, boolean kafkaReachable,
      ProtocolLookup protocols, Function<TraceSettings, Tracing> tracing) {
    Map<String, String> env = new HashMap<>();
    env.put("TOLLWAY_KAFKA_BOOTSTRAP", "kafka.invalid:9092");
    env.put("TOLLWAY_GATEWAY", TestSnapshots.GATEWAY);
    env.put("TOLLWAY_BIND_ADDRESS", "127.0.0.1");
    env.put("TOLLWAY_PORT_MAP", "80=0");
    env.put("TOLLWAY_ADMIN_PORT", "0");
    env.put("TOLLWAY_STATE_DIR", stateDir.toString());
    env.put("TOLLWAY_IO_THREADS", "2");
    env.put("TOLLWAY_DRAIN_TIMEOUT", "5s");
    env.putAll(extraEnv);
    MockProducer<String, byte[]> mock =
        new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    Producer<String, byte[]> usage = producer != null ? producer : mock;
    PacedMockConsumer<String, byte[]> consumer = new PacedMockConsumer<>();
    Supplier<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers = () -> consumer;
    PacedMockConsumer<String, byte[]> quotas = new PacedMockConsumer<>();
    EdgeProxy proxy = new EdgeProxy(
        EdgeProxyConfig.fromEnv(env), cipher, clock,
        new EdgeProxy.Dependencies(protocols, consumers, () -> usage, new Random(7), () -> quotas, tracing));
    TestStack stack = new TestStack(cipher, proxy, mock, consumer, quotas);
    if (kafkaReachable) {
      TopicPartition partition = new TopicPartition(Topics.CONFIG.name(), 0);
      stack.consumer.updatePartitions(Topics.CONFIG.name(), List.of(
          new PartitionInfo(Topics.CONFIG.name(), 0, Node.noNode(), new Node[0], new Node[0])));
      stack.consumer.updateBeginningOffsets(Map.of(partition, 0L));
      TopicPartition quotaPartition = new TopicPartition(Topics.QUOTA.name(), 0);
      quotas.updatePartitions(Topics.QUOTA.name(), List.of(
          new PartitionInfo(Topics.QUOTA.name(), 0, Node.noNode(), new Node[0], new Node[0])));
      quotas.updateBeginningOffsets(Map.of(quotaPartition, 0L));
      quotas.updateEndOffsets(Map.of(quotaPartition, 0L));
    }
    proxy.start();
    return stack;
  }

  /** Publishes a snapshot on the config topic, as config-service would. */
  public void publish(GatewaySnapshot snapshot) {
    publishRaw(snapshot.gateway(), Json.toBytes(snapshot));
  }

  /** Publishes raw bytes (or a tombstone) under a Gateway key. */
  public void publishRaw(String key, byte[] value) {
    await().atMost(Duration.ofSeconds(10)).until(() -> !consumer.assignment().isEmpty());
    consumer.addRecord(new ConsumerRecord<>(Topics.CONFIG.name(), 0, offset++, key, value));
  }

  /** Publishes a quota decision (or, with null, its tombstone) on the quota topic, as usage-streams would. */
  public void publishQuota(String key, @org.jspecify.annotations.Nullable QuotaDecision decision) {
    publishQuotaRaw(key, decision == null ? null : Json.toBytes(decision));
  }

  /** Publishes raw bytes (or a tombstone) on the quota topic. */
  public void publishQuotaRaw(String key, byte @org.jspecify.annotations.Nullable [] value) {
    await().atMost(Duration.ofSeconds(10)).until(() -> !quotaConsumer.assignment().isEmpty());
    quotaConsumer.addRecord(new ConsumerRecord<>(Topics.QUOTA.name(), 0, quotaOffset++, key, value));
  }

  public void awaitReady() {
    await().atMost(Duration.ofSeconds(10)).until(proxy::isReady);
  }

  public int port() {
    return proxy.localPort(80).orElseThrow(() -> new AssertionError("port 80 not bound"));
  }

  public HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
    return send("POST", path, body, headers);
  }

  /** A request with any method; an empty body is sent as none. */
  public HttpResponse<String> send(String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
        .timeout(Duration.ofSeconds(20))
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> admin(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.adminPort() + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The usage events published so far. */
  public List<UsageEvent> usageEvents() {
    return producer.history().stream()
        .map(record -> Topics.USAGE.serde().deserialize(record.topic(), record.value()))
        .toList();
  }

  /** Waits for the usage event of a request. */
  public UsageEvent usageOf(String requestId) {
    return await().atMost(Duration.ofSeconds(10)).until(
        () -> usageEvents().stream().filter(e -> e.requestId().equals(requestId)).findFirst().orElse(null),
        e -> e != null);
  }

  @Override
  public void close() {
    proxy.close();
  }
}
