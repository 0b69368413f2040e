package dev.tollway.e2e.support;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.EdgeProxy;
import dev.tollway.edge.EdgeProxyConfig;
import dev.tollway.local.kafka.EmbeddedKafka;
import dev.tollway.local.kafka.EmbeddedKafkaConfig;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.topic.Topics;
import dev.tollway.usage.UsageStreams;
import dev.tollway.usage.UsageStreamsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

/**
 * The data plane on a real broker that the test can stop and start: an embedded Kafka on fixed ports in a kept
 * folder (so a restarted broker has the same address and data), usage-streams, and an edge-proxy with a state
 * folder that the test can restart. The test publishes snapshots itself, as config-service would, so it controls
 * every field (retry policies, timeouts, groups).
 */
public final class FaultStack implements AutoCloseable {

  public static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .version(HttpClient.Version.HTTP_1_1).build();

  private final Path root;
  private final EmbeddedKafkaConfig kafkaConfig;
  private final SnapshotCipher cipher = SnapshotCipher.generate();
  private final UsageStreams usage;
  private final Map<String, String> edgeEnv = new HashMap<>();
  private @Nullable EmbeddedKafka kafka;
  private EdgeProxy proxy;

  public FaultStack() {
    try {
      root = Files.createTempDirectory("tollway-faults");
      kafkaConfig = EmbeddedKafkaConfig.persistentIn(root.resolve("kafka"))
          .withBrokerPort(freePort()).withControllerPort(freePort());
      kafka = EmbeddedKafka.start(kafkaConfig);
      Map<String, String> usageEnv = new HashMap<>();
      usageEnv.put("TOLLWAY_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
      usageEnv.put("TOLLWAY_USAGE_STATE_DIR", root.resolve("usage-streams").toString());
      usageEnv.put("TOLLWAY_USAGE_HTTP_HOST", "127.0.0.1");
      usageEnv.put("TOLLWAY_USAGE_HTTP_PORT", "0");
      usage = new UsageStreams(UsageStreamsConfig.fromEnv(usageEnv), Clock.systemUTC());
      usage.start();
      edgeEnv.put("TOLLWAY_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
      edgeEnv.put("TOLLWAY_GATEWAY", "*");
      edgeEnv.put("TOLLWAY_BIND_ADDRESS", "127.0.0.1");
      edgeEnv.put("TOLLWAY_PORT_MAP", "80=0,81=0,82=0");
      edgeEnv.put("TOLLWAY_ADMIN_PORT", "0");
      edgeEnv.put("TOLLWAY_STATE_DIR", root.resolve("edge-proxy").toString());
      edgeEnv.put("TOLLWAY_DRAIN_TIMEOUT", "5s");
      proxy = startProxy();
      await().atMost(Duration.ofSeconds(120)).until(usage::isReady);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private EdgeProxy startProxy() {
    EdgeProxy edge = new EdgeProxy(EdgeProxyConfig.fromEnv(edgeEnv), cipher, Clock.systemUTC());
    edge.start();
    return edge;
  }

  public SnapshotCipher cipher() {
    return cipher;
  }

  public EdgeProxy proxy() {
    return proxy;
  }

  public Path root() {
    return root;
  }

  /** Publishes a snapshot on the config topic and waits until the proxy serves its port. */
  public void publish(GatewaySnapshot snapshot, int declaredPort) {
    Map<String, Object> config = new HashMap<>(requireKafka().clientProperties());
    config.put("acks", "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(Topics.CONFIG.name(), snapshot.gateway(), Json.toBytes(snapshot))).get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot publish the snapshot of " + snapshot.gateway(), e);
    }
    await().atMost(Duration.ofSeconds(60)).until(
        () -> proxy.localPort(declaredPort).isPresent() && proxy.routingTable().gatewayKeys().contains(snapshot.gateway()));
  }

  /** Stops the broker (its folder and ports are kept for {@link #startBroker()}). */
  public void stopBroker() {
    requireKafka().close();
    kafka = null;
  }

  public void startBroker() {
    kafka = EmbeddedKafka.start(kafkaConfig);
  }

  /** Stops the proxy (draining and keeping its usage spool) and starts a new one on the same state folder. */
  public void restartProxy() {
    proxy.close();
    proxy = startProxy();
    await().atMost(Duration.ofSeconds(30)).until(proxy::isReady);
  }

  public HttpResponse<String> post(int declaredPort, String path, String json, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + proxy.localPort(declaredPort).orElseThrow() + path))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The requests usage-streams counted for a Gateway over the last and next hour. */
  public long requestsCounted(String gateway) {
    Instant now = Instant.now();
    String url = "http://127.0.0.1:" + usage.httpPort() + "/v1/usage?groupBy=gateway&from="
        + now.minus(Duration.ofHours(1)) + "&to=" + now.plus(Duration.ofHours(1));
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return -1;
      }
      for (JsonNode row : Json.mapper().readTree(response.body()).path("rows")) {
        if (row.path("gateway").asText().equals(gateway)) {
          return row.path("requests").asLong();
        }
      }
      return 0;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private EmbeddedKafka requireKafka() {
    if (kafka == null) {
      throw new IllegalStateException("the broker is stopped");
    }
    return kafka;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    proxy.close();
    usage.close();
    if (kafka != null) {
      kafka.close();
    }
  }
}
