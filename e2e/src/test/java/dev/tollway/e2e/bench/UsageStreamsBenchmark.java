package dev.tollway.e2e.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.e2e.support.UsageEvents;
import dev.tollway.local.kafka.EmbeddedKafka;
import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.price.TokenRates;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.UsageStreams;
import dev.tollway.usage.UsageStreamsConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
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
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures usage-streams on this machine, on the embedded broker, with exactly-once as in production:
 *
 * <ol>
 *   <li><b>warm-up</b>: rounds of events ({@code -Dbench.warmupRound=N}, 50,000 by default) are drained until
 *       the JIT is quiet — the JVM's compiler threads took at most 2 % of the process's CPU in two rounds in a
 *       row (at most {@code -Dbench.warmupRounds=N} rounds, 40 by default) — then usage-streams stops cleanly,
 *       so the measured drain runs on compiled code, as a long-running service does (a fixed warm-up of 100,000
 *       events left the C2 compiler with more CPU during the drain than the stream thread);
 *   <li><b>throughput</b>: a backlog of usage events (many keys, teams and models, priced, with budgets that
 *       charge every key and team) is produced first; then usage-streams starts again and the time from
 *       RUNNING until {@code /v1/spend} counts every request gives the events per second it sustains through all
 *       branches (minutes, daily spend, budgets);
 *   <li><b>freshness</b>: then, one request at a time, an event is produced for a new key at the moment the
 *       request "ends", and {@code /v1/spend?groupBy=key} is polled every 5 ms until the key's cost shows.
 * </ol>
 *
 * <p>The machine is shared (the broker, this producer and Kafka Streams run in this one JVM on 2 cores, and
 * other builds may run beside it), so besides wall-clock rates the table gives the CPU time spent while
 * draining, per group of threads (the stream thread, the broker, the rest of the process) and the events per
 * CPU-second of the process, which depend much less on what else the machine is doing; and the load average.
 *
 * <p>Arguments: {@code [events (1000000)] [probes (200)]}; {@code -Dbench.budgets=false} publishes no budget, to
 * see what the budget branch costs; {@code TOLLWAY_USAGE_*} and {@code TOLLWAY_KAFKA_*} environment variables
 * configure the measured service as in production (not its broker, state folder, HTTP port or application id).
 * Prints one table. Not a test.
 */
public final class UsageStreamsBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(UsageStreamsBenchmark.class);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String[] MODELS = {"gpt-4o-mini", "gpt-4o", "o3"};

  /**
   * How fast event time moves on through the produced events, round after round, as through a busy gateway:
   * 10,000 requests end each second.
   */
  private static final int EVENTS_PER_SECOND = 10_000;

  private UsageStreamsBenchmark() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int probes = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int warmupRound = Integer.getInteger("bench.warmupRound", 50_000);
    int maxWarmupRounds = Integer.getInteger("bench.warmupRounds", 40);
    Path state = Files.createTempDirectory("usage-bench-state");
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        KafkaProducer<String, byte[]> producer = producer(kafka.bootstrapServers())) {
      publishPricesAndBudgets(producer);
      // events end one after the other, round after round, and all of them before now (before the probes')
      Instant start = Instant.now()
          .minusMillis(((long) warmupRound * maxWarmupRounds + events) * 1_000 / EVENTS_PER_SECOND)
          .minus(Duration.ofMinutes(1));
      Instant next = start;
      // TOLLWAY_USAGE_* and TOLLWAY_KAFKA_* of the environment tune the measured service (pre-aggregation,
      // commit interval, Kafka client properties); the broker, state, HTTP and application id are the bench's
      Map<String, String> env = new HashMap<>();
      System.getenv().forEach((name, value) -> {
        if (name.startsWith("TOLLWAY_USAGE_") || name.startsWith("TOLLWAY_KAFKA_")) {
          env.put(name, value);
        }
      });
      env.put(UsageStreamsConfig.KAFKA_BOOTSTRAP, kafka.bootstrapServers());
      env.put(UsageStreamsConfig.STATE_DIR, state.toString());
      env.put(UsageStreamsConfig.HTTP_HOST, "127.0.0.1");
      env.put(UsageStreamsConfig.HTTP_PORT, "0");
      env.put(UsageStreamsConfig.APPLICATION_ID, "usage-bench-" + UUID.randomUUID());
      String from = start.minus(Duration.ofMinutes(1)).toString();
      // the JIT compiles the hot paths of Kafka Streams, Jackson, RocksDB and the topology once: a long-running
      // service pays that once, so the measured drain starts warm (same JVM, same application, stopped cleanly)
      long warmup = 0;
      int rounds = 0;
      double compilerShare = 0;
      try (UsageStreams usage = new UsageStreams(UsageStreamsConfig.fromEnv(env), Clock.systemUTC())) {
        usage.start();
        for (int quiet = 0; quiet < 2 && rounds < maxWarmupRounds; ) {
          rounds++;
          CpuTimes before = CpuTimes.now();
          next = produce(producer, "warm-" + rounds + "-", warmupRound, next);
          long expected = warmup + warmupRound;
          poll(Duration.ofMinutes(30), Duration.ofMillis(50)).until(() -> counted(usage, from) >= expected);
          warmup = expected;
          compilerShare = CpuTimes.now().minus(before).compilerShare();
          quiet = compilerShare <= 0.02 ? quiet + 1 : 0;
          LOG.info("warm-up round {}: events={} compiler share={}%", rounds, warmupRound,
              String.format(Locale.ROOT, "%.1f", 100 * compilerShare));
        }
      }
      LOG.info("warmed up: events={} rounds={}", warmup, rounds);
      long all = warmup + events;
      long produceStart = System.nanoTime();
      produce(producer, "bench-", events, next);
      double produceSeconds = (System.nanoTime() - produceStart) / 1e9;
      LOG.info("produced the backlog: events={} seconds={}", events, produceSeconds);

      try (UsageStreams usage = new UsageStreams(UsageStreamsConfig.fromEnv(env), Clock.systemUTC())) {
        long streamsStart = System.nanoTime();
        usage.start();
        long[] readyNanos = {0};
        CpuTimes[] cpuAtReady = {CpuTimes.now()};
        poll(Duration.ofMinutes(30), Duration.ofMillis(20)).until(() -> {
          if (readyNanos[0] == 0 && usage.isReady()) {
            readyNanos[0] = System.nanoTime();
            cpuAtReady[0] = CpuTimes.now();
          }
          return counted(usage, from) >= all;
        });
        long doneNanos = System.nanoTime();
        CpuTimes drainCpu = CpuTimes.now().minus(cpuAtReady[0]);
        String threadMetrics = threadMetrics(usage);
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        Drain drain =
            new Drain(events, new Warmup(warmup, rounds, compilerShare), produceSeconds,
                (doneNanos - streamsStart) / 1e9, (doneNanos - readyNanos[0]) / 1e9, drainCpu, load);

        List<Long> latencies = new ArrayList<>();
        for (int p = 0; p < probes; p++) {
          String key = "probe-" + p;
          UsageEvent event = UsageEvents.chat("probe-" + p, Instant.now(), key, "probes", "gpt-4o-mini");
          long sent = System.nanoTime();
          producer.send(UsageEvents.record(event));
          producer.flush();
          String url = "http://127.0.0.1:" + usage.httpPort() + "/v1/spend?groupBy=key&from="
              + event.endTime().minus(Duration.ofMinutes(1));
          poll(Duration.ofMinutes(1), Duration.ofMillis(5)).until(() -> hasKey(getJson(url), key));
          latencies.add((System.nanoTime() - sent) / 1_000_000);
        }
        latencies.sort(Long::compare);
        print(drain, latencies);
        System.out.println(threadMetrics); // the benchmark's report
      }
    }
  }

  /** What the drain of the measured backlog measured. */
  private record Drain(
      int events, Warmup warmup, double produceSeconds, double fromStart, double fromReady, CpuTimes cpu, double load) {}

  /** The warm-up: events drained, in how many rounds, and the compiler threads' share of the CPU in the last. */
  private record Warmup(long events, int rounds, double lastCompilerShare) {}

  /**
   * Produces {@code count} events with ids {@code prefix + i}, ending from {@code first} on at
   * {@link #EVENTS_PER_SECOND}; returns when the next event would end.
   */
  private static Instant produce(KafkaProducer<String, byte[]> producer, String prefix, int count, Instant first) {
    for (int i = 0; i < count; i++) {
      Instant end = first.plusMillis(i * 1_000L / EVENTS_PER_SECOND);
      UsageEvent event = UsageEvents.chat(prefix + i, end, "k-" + (i % 50), "team-" + (i % 5), MODELS[i % 3]);
      producer.send(UsageEvents.record(event));
    }
    producer.flush();
    return first.plusMillis(count * 1_000L / EVENTS_PER_SECOND);
  }

  /** The requests /v1/spend counts since {@code from}, or 0 while it does not answer. */
  /** Polls on the calling thread (no hand-over in the times measured): at once, then every {@code interval}. */
  private static ConditionFactory poll(Duration atMost, Duration interval) {
    return await().atMost(atMost).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(interval);
  }

  private static long counted(UsageStreams usage, String from) throws InterruptedException {
    JsonNode body = getJson("http://127.0.0.1:" + usage.httpPort() + "/v1/spend?groupBy=team&from=" + from);
    return body == null ? 0 : body.at("/total/requests").asLong();
  }

  private static void print(Drain drain, List<Long> latencies) {
    CpuTimes cpu = drain.cpu();
    StringBuilder table = new StringBuilder();
    table.append(String.format(Locale.ROOT, "%n| measure | value |%n|---|---|%n"));
    Warmup warmup = drain.warmup();
    table.append(row("events: warm-up (drained first, then usage-streams stopped) + measured backlog", String.format(Locale.ROOT, "%,d in %d rounds (JIT compiler %.1f %% of the CPU in the last) + %,d", warmup.events(), warmup.rounds(), 100 * warmup.lastCompilerShare(), drain.events())));
    table.append(row("measured backlog produced in (before usage-streams restarts)", String.format(Locale.ROOT, "%.1f s → %,.0f events/s", drain.produceSeconds(), drain.events() / drain.produceSeconds())));
    table.append(row("drained, from start (incl. start-up and rebalance)", String.format(Locale.ROOT, "%.1f s → %,.0f events/s", drain.fromStart(), drain.events() / drain.fromStart())));
    table.append(row("**drained, from RUNNING**", String.format(Locale.ROOT, "**%.1f s → %,.0f events/s**", drain.fromReady(), drain.events() / drain.fromReady())));
    table.append(row("CPU meanwhile: stream thread", String.format(Locale.ROOT, "%.1f s (on CPU %.0f %% of the time; %.1f µs per event)", cpu.streamThreads(), 100 * cpu.streamThreads() / drain.fromReady(), 1e6 * cpu.streamThreads() / drain.events())));
    table.append(row("CPU meanwhile: broker", String.format(Locale.ROOT, "%.1f s", cpu.broker())));
    table.append(row("CPU meanwhile: JIT compiler threads", String.format(Locale.ROOT, "%.1f s", cpu.compiler())));
    table.append(row("CPU meanwhile: whole process", String.format(Locale.ROOT, "%.1f s → %,.0f events per CPU-second", cpu.process(), drain.events() / cpu.process())));
    table.append(row("load average (1 min) at the end of the drain", String.format(Locale.ROOT, "%.1f on %d cores", drain.load(), Runtime.getRuntime().availableProcessors())));
    table.append(row("request end → cost in /v1/spend, p50", percentile(latencies, 50) + " ms"));
    table.append(row("request end → cost in /v1/spend, p99", percentile(latencies, 99) + " ms"));
    table.append(row("request end → cost in /v1/spend, max", latencies.get(latencies.size() - 1) + " ms"));
    System.out.println(table); // the benchmark's report, printed for the person who ran it
  }

  /** The stream thread's own account of its time (ratios) and its rates, from Kafka Streams' thread metrics. */
  private static String threadMetrics(UsageStreams usage) {
    Map<String, Double> values = new TreeMap<>();
    usage.streamsMetrics().forEach((name, metric) -> {
      if (name.group().equals("stream-thread-metrics") && metric.metricValue() instanceof Double value
          && !value.isNaN()) {
        values.merge(name.name(), value, Double::sum);
      }
    });
    StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "| stream thread metric | value |%n|---|---|%n"));
    for (String name : List.of("process-ratio", "punctuate-ratio", "poll-ratio", "commit-ratio", "blocked-time-ns-total",
        "process-rate", "process-latency-avg", "commit-rate", "commit-latency-avg", "poll-latency-avg", "poll-records-avg",
        "punctuate-latency-avg")) {
      Double value = values.get(name);
      if (value != null) {
        table.append(row(name, String.format(Locale.ROOT, "%,.3f", value)));
      }
    }
    return table.toString();
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

  /**
   * CPU seconds used so far: by Kafka Streams' stream threads, by the embedded broker's threads, by the JVM's JIT
   * compiler threads, and by the whole process.
   */
  private record CpuTimes(double streamThreads, double broker, double compiler, double process) {

    private static final String[] BROKER_THREADS = {
      "data-plane-", "kafka-", "quorum-controller", "group-coordinator", "TxnMarkerSender", "AddPartitionsToTxn",
      "executor-", "broker-", "controller-", "raft-", "share-coordinator", "transaction-"
    };

    static CpuTimes now() {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      double streams = 0;
      double broker = 0;
      for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (info == null) {
          continue;
        }
        long nanos = threads.getThreadCpuTime(info.getThreadId());
        if (nanos < 0) {
          continue;
        }
        String name = info.getThreadName();
        if (name.contains("-StreamThread-")) {
          streams += nanos / 1e9;
        } else if (isBroker(name)) {
          broker += nanos / 1e9;
        }
      }
      double process =
          ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime()
              / 1e9;
      return new CpuTimes(streams, broker, compilerSeconds(), process);
    }

    /**
     * The CPU of the JIT compiler threads ({@code C1 CompilerThre…}, {@code C2 CompilerThre…}): the JVM does not
     * show them to {@code ThreadMXBean}, so they are read from {@code /proc/self/task/<tid>/stat} (Linux).
     */
    private static double compilerSeconds() {
      long ticks = 0;
      try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
        for (Path task : (Iterable<Path>) tasks::iterator) {
          String stat;
          try {
            stat = Files.readString(task.resolve("stat"));
          } catch (IOException e) {
            continue; // the thread ended meanwhile
          }
          int open = stat.indexOf('(');
          int close = stat.lastIndexOf(')');
          String name = stat.substring(open + 1, close);
          if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            String[] fields = stat.substring(close + 2).split(" ");
            ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
          }
        }
      } catch (IOException e) {
        return 0; // not Linux: the compiler's share reads as zero and the warm-up ends after two rounds
      }
      return ticks / 100.0; // USER_HZ
    }

    /** The compiler threads' share of the process's CPU (0 when the process used none). */
    double compilerShare() {
      return process <= 0 ? 0 : compiler / process;
    }

    private static boolean isBroker(String name) {
      if (name.startsWith("kafka-producer-network-thread") || name.startsWith("kafka-coordinator-heartbeat")
          || name.startsWith("kafka-admin-client-thread")) {
        return false; // clients of this process, not the broker
      }
      for (String prefix : BROKER_THREADS) {
        if (name.startsWith(prefix)) {
          return true;
        }
      }
      return false;
    }

    /** The CPU used since {@code earlier} (threads that ended meanwhile are not counted per group). */
    CpuTimes minus(CpuTimes earlier) {
      return new CpuTimes(streamThreads - earlier.streamThreads, broker - earlier.broker, compiler - earlier.compiler,
          process - earlier.process);
    }
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
