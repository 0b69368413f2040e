package dev.tollway.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.local.kafka.EmbeddedKafka;
import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.price.TokenRates;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.UsageStreams;
import dev.tollway.usage.UsageStreamsConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures usage-streams on this machine, on the embedded broker, with exactly-once as in production:
 *
 * <ol>
 *   <li><b>throughput</b>: a backlog of usage events (many keys, teams and models, priced, with budgets that
 *       charge every key and team) is produced first; then usage-streams starts and the time until
 *       {@code /v1/spend} counts every request gives the events per second it sustains through all branches
 *       (minutes, daily spend, budgets);
 *   <li><b>freshness</b>: then, one request at a time, an event is produced for a new key at the moment the
 *       request "ends", and {@code /v1/spend?groupBy=key} is polled every 5 ms until the key's cost shows.
 * </ol>
 *
 * <p>Arguments: {@code [events (200000)] [probes (200)]}; {@code -Dbench.budgets=false} publishes no budget, to
 * see what the budget branch costs. Prints one table. Not a test.
 */
public final class UsageStreamsBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(UsageStreamsBenchmark.class);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String[] MODELS = {"gpt-4o-mini", "gpt-4o", "o3"};

  private UsageStreamsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int probes = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Path state = Files.createTempDirectory("usage-bench-state");
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
      publishPricesAndBudgets(producer);
      Instant start = Instant.now().minus(Duration.ofMinutes(4));
      long produceStart = System.nanoTime();
      for (int i = 0; i < events; i++) {
        UsageEvent event = event("bench-" + i, start.plusMillis(i * 200_000L / events), "k-" + (i % 50), "team-" + (i % 5), MODELS[i % 3]);
        producer.send(new ProducerRecord<>(Topics.USAGE.name(), event.requestId(), Json.toBytes(event)));
      }
      producer.flush();
      double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
      LOG.info("produced the backlog: events={} seconds={}", events, produceSeconds);

      Map<String, String> env = new HashMap<>();
      env.put(UsageStreamsConfig.KAFKA_BOOTSTRAP, kafka.bootstrapServers());
      env.put(UsageStreamsConfig.STATE_DIR, state.toString());
      env.put(UsageStreamsConfig.HTTP_HOST, "127.0.0.1");
      env.put(UsageStreamsConfig.HTTP_PORT, "0");
      env.put(UsageStreamsConfig.APPLICATION_ID, "usage-bench-" + UUID.randomUUID());
      try (UsageStreams usage = new UsageStreams(UsageStreamsConfig.fromEnv(env), Clock.systemUTC())) {
        long streamsStart = System.nanoTime();
        usage.start();
        String spend = "http://127.0.0.1:" + usage.httpPort() + "/v1/spend?groupBy=team&from="
            + start.minus(Duration.ofMinutes(1));
        long readyNanos = 0;
        while (true) {
          if (readyNanos == 0 && usage.isReady()) {
            readyNanos = System.nanoTime();
          }
          JsonNode body = getJson(spend);
          if (body != null && body.at("/total/requests").asLong() >= events) {
            break;
          }
          Thread.sleep(50);
        }
        long doneNanos = System.nanoTime();
        double fromStart = (doneNanos - streamsStart) / 1e9;
        double fromReady = (doneNanos - readyNanos) / 1e9;

        List<Long> latencies = new ArrayList<>();
        for (int p = 0; p < probes; p++) {
          String key = "probe-" + p;
          UsageEvent event = event("probe-" + p, Instant.now(), key, "probes", "gpt-4o-mini");
          long sent = System.nanoTime();
          producer.send(new ProducerRecord<>(Topics.USAGE.name(), event.requestId(), Json.toBytes(event)));
          producer.flush();
          String url = "http://127.0.0.1:" + usage.httpPort() + "/v1/spend?groupBy=key&from="
              + event.endTime().minus(Duration.ofMinutes(1));
          while (!hasKey(getJson(url), key)) {
            Thread.sleep(5);
          }
          latencies.add((System.nanoTime() - sent) / 1_000_000);
        }
        latencies.sort(Long::compare);
        print(events, produceSeconds, fromStart, fromReady, latencies);
      }
    }
  }

  private static void print(int events, double produceSeconds, double fromStart, double fromReady, List<Long> latencies) {
    StringBuilder table = new StringBuilder();
    table.append(String.format(Locale.ROOT, "%n| measure | value |%n|---|---|%n"));
    table.append(row("events in the backlog", String.valueOf(events)));
    table.append(row("backlog produced in", String.format(Locale.ROOT, "%.1f s", produceSeconds)));
    table.append(row("drained, from start (incl. start-up)", String.format(Locale.ROOT, "%.1f s → %,.0f events/s", fromStart, events / fromStart)));
    table.append(row("drained, from RUNNING", String.format(Locale.ROOT, "%.1f s → %,.0f events/s", fromReady, events / fromReady)));
    table.append(row("request end → cost in /v1/spend, p50", percentile(latencies, 50) + " ms"));
    table.append(row("request end → cost in /v1/spend, p99", percentile(latencies, 99) + " ms"));
    table.append(row("request end → cost in /v1/spend, max", latencies.get(latencies.size() - 1) + " ms"));
    System.out.println(table); // the benchmark's report, printed for the person who ran it
  }

  private static String row(String measure, String value) {
    return "| " + measure + " | " + value + " |" + System.lineSeparator();
  }

  private static long percentile(List<Long> sorted, int percentile) {
    int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static boolean hasKey(JsonNode body, String key) {
    if (body == null) {
      return false;
    }
    for (JsonNode row : body.get("rows")) {
      if (row.get("apiKeyId").asText().equals(key) && row.get("costNanoUsd").asLong() > 0) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode getJson(String url) throws InterruptedException {
    try {
      HttpResponse<String> response =
          HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Json.mapper().readTree(response.body()) : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static void publishPricesAndBudgets(KafkaProducer<String, byte[]> producer) {
    for (String model : MODELS) {
      ModelPrice price =
          new ModelPrice(
              ModelPrice.SCHEMA_VERSION,
              "openai",
              model,
              new TokenRates(1_000_000_000L, 4_000_000_000L, 500_000_000L, null, null),
              List.of(),
              "bench",
              "catalog");
      producer.send(new ProducerRecord<>(Topics.PRICES.name(), price.key(), Json.toBytes(price)));
    }
    if (!Boolean.parseBoolean(System.getProperty("bench.budgets", "true"))) {
      producer.flush();
      return;
    }
    List<Budget> budgets =
        List.of(
            new Budget(Budget.SCHEMA_VERSION, "bench/per-key", Budget.SubjectType.apiKey, Budget.EACH,
                Budget.Window.day, "UTC", Long.MAX_VALUE, Budget.Unit.nanoUsd),
            new Budget(Budget.SCHEMA_VERSION, "bench/per-team", Budget.SubjectType.team, Budget.EACH,
                Budget.Window.month, "Europe/Paris", Long.MAX_VALUE, Budget.Unit.nanoUsd),
            new Budget(Budget.SCHEMA_VERSION, "bench/per-key-minute", Budget.SubjectType.apiKey, Budget.EACH,
                Budget.Window.minute, "UTC", Long.MAX_VALUE, Budget.Unit.tokens));
    for (Budget budget : budgets) {
      producer.send(new ProducerRecord<>(Topics.BUDGETS.name(), budget.name(), Json.toBytes(budget)));
    }
    producer.flush();
  }

  private static UsageEvent event(String id, Instant end, String key, String team, String model) {
    return new UsageEvent(
        UsageEvent.SCHEMA_VERSION,
        id,
        "req-" + id,
        null,
        1,
        true,
        end.minusMillis(900),
        end.minusMillis(700),
        end,
        "default/agentgateway",
        "http",
        "default/llm-route#0",
        "default/openai",
        "openai",
        "api.openai.com:443",
        "chat",
        "openai.chat",
        model,
        model,
        model,
        true,
        new UsageEvent.Caller(key, key, team, null, new TreeMap<>()),
        200,
        null,
        new TokenUsage(1_200, 400, 0, 300, 0, 1_500, TokenUsage.Source.provider, true));
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Map<String, Object> properties = new HashMap<>();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    return new KafkaProducer<>(
        properties, new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
  }
}
