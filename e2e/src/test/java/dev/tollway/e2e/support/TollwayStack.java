package dev.tollway.e2e.support;

import static java.util.Objects.requireNonNull;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.EdgeProxy;
import dev.tollway.edge.EdgeProxyConfig;
import dev.tollway.local.LocalOptions;
import dev.tollway.local.LocalStack;
import dev.tollway.local.fake.FakeProviderServer;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.serde.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole pipeline for a test class: a {@link LocalStack} on the fixture's broker, reading a folder the test
 * fills like {@code kubectl apply} would, with its providers pointed at a {@link FakeProviderServer}. Every
 * port is chosen free.
 */
public final class TollwayStack implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Path configDir;
  private final Path dataDir;
  private final FakeProviderServer fake;
  private final LocalStack stack;
  private final String kafkaBootstrap;
  private final List<EdgeProxy> replicas = new ArrayList<>();

  private TollwayStack(String kafkaBootstrap) throws IOException {
    this.configDir = Files.createTempDirectory("tollway-config");
    this.dataDir = Files.createTempDirectory("tollway-data");
    this.kafkaBootstrap = kafkaBootstrap;
    this.fake = FakeProviderServer.start();
    LocalOptions options =
        new LocalOptions(configDir, Map.of(80, 0), "127.0.0.1", 0, 0, dataDir, null, kafkaBootstrap);
    this.stack = LocalStack.start(
        options, Map.of("FAKE_PROVIDER_PORT", String.valueOf(fake.port())), Clock.systemUTC(), cycle -> {});
  }

  public static TollwayStack start(KafkaFixture kafka) {
    try {
      return new TollwayStack(requireNonNull(kafka, "kafka").bootstrapServers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The stack's data folder: the broker's log, the proxy's state, the Streams state, the local snapshot key. */
  public Path dataDir() {
    return dataDir;
  }

  public FakeProviderServer fake() {
    return fake;
  }

  public LocalStack stack() {
    return stack;
  }

  /**
   * Starts one more edge-proxy beside the stack's, as a second replica of the same Deployment would run: same
   * broker, same snapshot key, every Gateway, its own free ports and state directory. Closed with the stack.
   */
  public EdgeProxy startReplica() {
    try {
      SnapshotCipher cipher = SnapshotCipher.fromBase64(
          Files.readString(dataDir.resolve("snapshot.key"), StandardCharsets.US_ASCII));
      Map<String, String> env = Map.of(
          "TOLLWAY_KAFKA_BOOTSTRAP", kafkaBootstrap,
          "TOLLWAY_GATEWAY", "*",
          "TOLLWAY_BIND_ADDRESS", "127.0.0.1",
          "TOLLWAY_PORT_MAP", "80=0",
          "TOLLWAY_ADMIN_PORT", "0",
          "TOLLWAY_STATE_DIR", Files.createTempDirectory(dataDir, "replica").toString());
      EdgeProxy replica = new EdgeProxy(EdgeProxyConfig.fromEnv(env), cipher, Clock.systemUTC());
      synchronized (replicas) {
        replicas.add(replica);
      }
      replica.start();
      return replica;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The base URL of a replica's listener on port 80, once it is bound. */
  public static String urlOf(EdgeProxy proxy) {
    await().atMost(Duration.ofSeconds(60)).until(() -> proxy.localPort(80).isPresent());
    return "http://127.0.0.1:" + proxy.localPort(80).orElseThrow();
  }

  /** Copies a classpath resource into the watched folder, as {@code kubectl apply -f} would. */
  public Path apply(String resource) {
    try (var in = requireNonNull(getClass().getClassLoader().getResourceAsStream(resource), resource)) {
      Path target = configDir.resolve(resource.replace('/', '_'));
      Path tmp = Files.createTempFile(configDir.getParent(), "apply", ".tmp");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a manifest into the watched folder. */
  public Path applyYaml(String name, String yaml) {
    try {
      Path tmp = Files.createTempFile(configDir.getParent(), "apply", ".tmp");
      Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
      Path target = configDir.resolve(name);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes what {@link #apply(String)} added, as {@code kubectl delete -f} would. */
  public void delete(String resource) {
    try {
      Files.deleteIfExists(configDir.resolve(resource.replace('/', '_')));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The base URL of the Gateway's listener on port 80, once it is bound. */
  public String gatewayUrl() {
    await().atMost(Duration.ofSeconds(60)).until(() -> stack.edgeProxy().localPort(80).isPresent());
    return "http://127.0.0.1:" + stack.edgeProxy().localPort(80).orElseThrow();
  }

  /** The base URLs of the Gateway's listener on the stack's proxy, then on every replica started. */
  public List<String> proxyUrls() {
    List<String> urls = new ArrayList<>();
    urls.add(gatewayUrl());
    synchronized (replicas) {
      replicas.forEach(replica -> urls.add(urlOf(replica)));
    }
    return urls;
  }

  public String usageUrl() {
    return "http://127.0.0.1:" + stack.usageStreams().httpPort();
  }

  /** A POST of a JSON body, like the tutorial's {@code curl -H "Content-Type: application/json" -d ...}. */
  public HttpResponse<String> post(String path, String json) {
    return postJson(gatewayUrl() + path, json);
  }

  /** A POST of a JSON body to any URL (a replica's listener, say), with extra header name / value pairs. */
  public static HttpResponse<String> postJson(String url, String json, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return send(request.build());
  }

  /** A response body read as JSON; a body that is not JSON fails the test, showing the body. */
  public static JsonNode json(String body) {
    try {
      return Json.mapper().readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  public HttpResponse<String> get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    synchronized (replicas) {
      replicas.forEach(EdgeProxy::close);
    }
    stack.close();
    fake.close();
  }
}
