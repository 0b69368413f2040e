package dev.tollway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.tollway.e2e.support.KafkaFixture;
import dev.tollway.e2e.support.TollwayStack;
import dev.tollway.local.fake.RecordedRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * A canary provider key, a canary prompt and the provider's answer go through the whole pipeline — plain and
 * streamed requests, a provider error, a client sending its own credential — with every Tollway logger at TRACE:
 * none of them appears in any log line, in any Kafka topic, or in any file the stack writes, in the clear.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsIT {

  private static final String CANARY_KEY = "sk-canary-" + UUID.randomUUID().toString().replace("-", "");
  private static final String CANARY_PROMPT = "canary-prompt-" + UUID.randomUUID();
  private static final String CLIENT_KEY = "client-canary-" + UUID.randomUUID();
  /** A distinctive piece of every answer of the fake provider. */
  private static final String COMPLETION = "open-source container orchestration platform";

  @RegisterExtension
  static final KafkaFixture KAFKA = new KafkaFixture();

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Level tollwayLevel;
  private Level accessLevel;
  private TollwayStack tollway;

  @BeforeAll
  void start() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger tollwayLogger = context.getLogger("dev.tollway");
    tollwayLevel = tollwayLogger.getLevel();
    tollwayLogger.setLevel(Level.TRACE);
    logs.setContext(context);
    logs.start();
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(logs);
    tollwayLogger.addAppender(logs);
    tollwayLogger.setAdditive(false);
    Logger access = context.getLogger("tollway.access");
    accessLevel = access.getLevel();
    access.setLevel(Level.TRACE);
    tollway = TollwayStack.start(KAFKA);
  }

  @AfterAll
  void stop() {
    if (tollway != null) {
      tollway.close();
    }
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger tollwayLogger = context.getLogger("dev.tollway");
    tollwayLogger.detachAppender(logs);
    tollwayLogger.setAdditive(true);
    tollwayLogger.setLevel(tollwayLevel);
    context.getLogger("tollway.access").setLevel(accessLevel);
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(logs);
  }

  @Test
  void shouldNeverShowTheProviderKeyThePromptOrTheAnswerInTheClear() throws Exception {
    // Given a backend whose Secret holds the canary key
    tollway.applyYaml("gateway.yaml", """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: agentgateway, namespace: default}
        spec:
          gatewayClassName: agentgateway
          listeners: [{protocol: HTTP, port: 80, name: http, allowedRoutes: {namespaces: {from: All}}}]
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: canary-secret, namespace: default}
        type: Opaque
        stringData: {Authorization: %s}
        ---
        apiVersion: agentgateway.dev/v1alpha1
        kind: AgentgatewayBackend
        metadata: {name: canary, namespace: default}
        spec:
          ai: {provider: {host: 127.0.0.1, port: '${FAKE_PROVIDER_PORT}', openai: {model: gpt-4o-mini}}}
          policies: {auth: {secretRef: {name: canary-secret}}}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: canary-route, namespace: default}
        spec:
          parentRefs: [{name: agentgateway, namespace: default}]
          rules: [{backendRefs: [{name: canary, namespace: default, group: agentgateway.dev, kind: AgentgatewayBackend}]}]
        """.formatted(CANARY_KEY));
    String chat = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + CANARY_PROMPT + "\"}]}";
    String stream = "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + CANARY_PROMPT + "\"}]}";
    await().atMost(Duration.ofSeconds(60)).until(() -> tollway.post("/v1/chat/completions", chat).statusCode() == 200);

    // When requests go through: plain, streamed, failing at the provider, and with the client's own credential
    List<HttpResponse<String>> responses = new ArrayList<>();
    responses.add(post(chat, "Authorization", "Bearer " + CLIENT_KEY, "Cookie", "session=" + CLIENT_KEY));
    responses.add(post(stream, "x-api-key", CLIENT_KEY));
    responses.add(post(chat, "x-fake-status", "500"));
    responses.add(post("{\"messages\":[{\"role\":\"user\",\"content\":\"" + CANARY_PROMPT + "\"", "x-request-id", "bad-json"));
    await().atMost(Duration.ofSeconds(120)).until(() -> usageRequests() >= 5);

    // Then the provider got the canary key and never the client's credential
    assertThat(responses.get(0).body()).contains(COMPLETION);
    assertThat(responses.get(1).body()).contains("[DONE]");
    List<RecordedRequest> received = tollway.fake().requests();
    assertThat(received).allSatisfy(r -> {
      assertThat(r.header("authorization")).hasValue("Bearer " + CANARY_KEY);
      assertThat(r.headers().toString()).doesNotContain(CLIENT_KEY);
    });
    // and no log line, topic record or file holds the key, the prompt, the answer or the client's key
    List<String> secrets = List.of(CANARY_KEY, CANARY_PROMPT, COMPLETION, CLIENT_KEY);
    List<String> lines = logs.list.stream().map(SecretsIT::render).toList();
    assertThat(lines).as("log lines captured at TRACE").hasSizeGreaterThan(20)
        .anyMatch(line -> line.startsWith("tollway.access"));
    for (String secret : secrets) {
      assertThat(lines).as("log lines").noneMatch(line -> line.contains(secret));
    }
    List<String> records = allTopicRecords();
    assertThat(records).as("topic records").hasSizeGreaterThan(5);
    for (String secret : secrets) {
      assertThat(records).as("topic records").noneMatch(record -> record.contains(secret));
    }
    for (Path file : files(tollway.dataDir())) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (java.nio.file.NoSuchFileException gone) {
        continue; // deleted since the listing, as RocksDB does with its OPTIONS-*.dbtmp files: nothing to read
      }
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      for (String secret : secrets) {
        assertThat(text).as("file %s", file).doesNotContain(secret);
      }
    }
  }

  private HttpResponse<String> post(String json, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(tollway.gatewayUrl() + "/v1/chat/completions"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private long usageRequests() {
    HttpResponse<String> response = tollway.get(tollway.usageUrl() + "/v1/usage?groupBy=gateway");
    if (response.statusCode() != 200) {
      return -1;
    }
    try {
      long total = 0;
      for (var row : dev.tollway.schemas.serde.Json.mapper().readTree(response.body()).path("rows")) {
        total += row.path("requests").asLong();
      }
      return total;
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  private static String render(ILoggingEvent event) {
    String thrown = event.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(event.getThrowableProxy());
    return event.getLoggerName() + " " + event.getFormattedMessage() + " " + thrown;
  }

  /** Every record of every topic on the broker, internal ones included, as text. */
  private List<String> allTopicRecords() throws Exception {
    Set<String> topics;
    try (Admin admin = Admin.create(KAFKA.clientProperties())) {
      topics = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true)).names().get();
    }
    Map<String, Object> config = new HashMap<>(KAFKA.clientProperties());
    config.put("group.id", "secrets-scan-" + UUID.randomUUID());
    config.put("auto.offset.reset", "earliest");
    config.put("isolation.level", "read_uncommitted");
    List<String> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          records.add(text(record.key()) + " " + text(record.value()));
        }
        return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
      });
    }
    return records;
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "" : new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }
}
