package dev.tollway.usage;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.usage.UsageDimensions;
import dev.tollway.usage.aggregate.UsageCounts;
import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.schemas.usage.SpendDimensions;
import dev.tollway.usage.http.UsageApi;
import dev.tollway.usage.http.UsageStores;
import dev.tollway.usage.spend.SpendCounts;
import dev.tollway.usage.metrics.CostMetrics;
import dev.tollway.usage.metrics.StreamsMetrics;
import dev.tollway.usage.http.UsageHttpServer;
import dev.tollway.usage.topology.SkipUndecodableRecords;
import dev.tollway.usage.topology.SkippedRecords;
import dev.tollway.usage.topology.UsageTopology;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The usage-streams service: the Kafka Streams app of {@link UsageTopology} (exactly-once) and the HTTP
 * API over its window store. Owns start, an idempotent close, liveness and readiness.
 */
public final class UsageStreams implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UsageStreams.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration BROKER_PROBE_TIMEOUT = Duration.ofSeconds(2);
  /** How long a member that stopped heart-beating keeps its partitions (see {@link #streamsProperties}). */
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<KafkaStreams.State> ALIVE =
      EnumSet.of(KafkaStreams.State.CREATED, KafkaStreams.State.REBALANCING, KafkaStreams.State.RUNNING);

  private final UsageStreamsConfig config;
  private final Clock clock;
  private final MeterRegistry meters;
  private final CostMetrics costObserver;
  private final SkippedRecords skipped = new SkippedRecords();
  private volatile @Nullable KafkaStreams streams;
  private @Nullable UsageHttpServer http;
  private int httpPort = -1;
  private volatile boolean started;
  private volatile boolean closed;
  private final Object streamsLock = new Object();

  /** The service with its own Prometheus registry (see {@link #meterRegistry()}), served on {@code /metrics}. */
  public UsageStreams(UsageStreamsConfig config, Clock clock) {
    this(config, clock, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** The service, registering its meters (cost, unpriced and estimated events) in {@code meters}. */
  public UsageStreams(UsageStreamsConfig config, Clock clock, MeterRegistry meters) {
    this.config = requireNonNull(config, "config");
    this.clock = requireNonNull(clock, "clock");
    this.meters = requireNonNull(meters, "meters");
    this.costObserver = new CostMetrics(meters);
    StreamsMetrics.register(meters, () -> {
      KafkaStreams current = streams;
      return current == null ? null : current.metrics();
    }, List.of(Topics.USAGE.name()), skipped::count);
  }

  /** Where the service's meters are registered. */
  public MeterRegistry meterRegistry() {
    return meters;
  }

  /**
   * Starts the HTTP API (so {@code /readyz} answers 503 at once) and then, in the background, Kafka Streams,
   * which becomes ready once the global stores (prices, budgets) are loaded and its tasks are assigned and
   * restored. The topics must exist.
   *
   * @throws IllegalStateException when already started or closed
   */
  public synchronized void start() {
    if (started || closed) {
      throw new IllegalStateException(closed ? "closed" : "already started");
    }
    LOG.info("starting usage-streams: {}", config);
    KafkaStreams kafkaStreams =
        new KafkaStreams(
            UsageTopology.build(config.topologySettings(), costObserver),
            streamsProperties(config, skipped));
    StreamThreadFailures failures = new StreamThreadFailures();
    kafkaStreams.setStateListener(
        (now, before) -> {
          LOG.info("kafka streams state changed: from={} to={}", before, now);
          failures.stateChanged(now);
        });
    kafkaStreams.setUncaughtExceptionHandler(failures);
    UsageHttpServer server =
        new UsageHttpServer(
            config.httpHost(),
            config.httpPort(),
            UsageApi.handler(new QueryableStores(), config.timeZone(), this::isLive, this::isReady, clock,
                scrape()));
    try {
      server.start();
    } catch (RuntimeException e) {
      kafkaStreams.close(Duration.ZERO);
      throw new IllegalStateException(
          "cannot listen on " + config.httpHost() + ":" + config.httpPort() + ": " + e.getMessage(), e);
    }
    streams = kafkaStreams;
    http = server;
    httpPort = server.port();
    started = true;
    // KafkaStreams.start() blocks, holding the client's lock, until the global stores (prices, budgets) are
    // restored, and close() cannot interrupt it; so it runs on its own thread once a broker answers, and
    // the HTTP API answers (live, not ready) meanwhile
    Thread starter = new Thread(() -> startWhenReachable(kafkaStreams), "usage-streams-start");
    starter.setDaemon(true);
    starter.start();
    LOG.info("usage-streams HTTP API listening: host={} port={}", config.httpHost(), httpPort);
  }

  /** The Prometheus text of the meters, when they are in a Prometheus registry (else no {@code /metrics}). */
  private java.util.function.@Nullable Supplier<String> scrape() {
    if (meters instanceof PrometheusMeterRegistry prometheus) {
      return prometheus::scrape;
    }
    return null;
  }

  private void startWhenReachable(KafkaStreams kafkaStreams) {
    Properties adminProperties = config.kafka().clientProperties(Map.of(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) BROKER_PROBE_TIMEOUT.toMillis(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) BROKER_PROBE_TIMEOUT.toMillis()));
    try (Admin admin = Admin.create(adminProperties)) {
      while (!closed) {
        try {
          admin.describeCluster().nodes().get(BROKER_PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
          break;
        } catch (ExecutionException | TimeoutException e) {
          LOG.debug("no Kafka broker answers yet: bootstrap={}", config.kafkaBootstrap());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    } catch (RuntimeException e) {
      LOG.error("cannot probe the Kafka brokers: bootstrap={}", config.kafkaBootstrap(), e);
      return;
    }
    try {
      synchronized (streamsLock) {
        // close() takes this lock too: streams are either closed already, or start here before close() runs
        if (closed) {
          return;
        }
        kafkaStreams.start();
      }
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.error("kafka streams failed to start; usage-streams reports not live", e);
      }
    }
  }

  /** Whether the service is up and not failed (its Kafka Streams client is starting, rebalancing or running). */
  public boolean isLive() {
    KafkaStreams kafkaStreams = streams;
    return started && !closed && kafkaStreams != null && ALIVE.contains(kafkaStreams.state());
  }

  /** Whether Kafka Streams is running, so the store answers queries. */
  public boolean isReady() {
    KafkaStreams kafkaStreams = streams;
    return started && !closed && kafkaStreams != null && kafkaStreams.state() == KafkaStreams.State.RUNNING;
  }

  /**
   * The port of the HTTP API.
   *
   * @throws IllegalStateException before {@link #start()}
   */
  public synchronized int httpPort() {
    if (httpPort < 0) {
      throw new IllegalStateException("not started");
    }
    return httpPort;
  }

  /**
   * Kafka Streams' own metrics (process rate, commit latency, the share of time the stream thread spends
   * processing, polling, committing, ...); empty before {@link #start()}.
   */
  public Map<MetricName, ? extends Metric> streamsMetrics() {
    KafkaStreams kafkaStreams = streams;
    return kafkaStreams == null ? Map.of() : kafkaStreams.metrics();
  }

  /** How many input records were skipped because they did not decode. */
  public long skippedRecords() {
    return skipped.count();
  }

  /** Stops the HTTP API and Kafka Streams; later calls do nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (http != null) {
      http.close();
    }
    if (streams != null) {
      synchronized (streamsLock) {
        // leave the consumer group: otherwise the group keeps counting this member until its session times out
        // (45 s), and a restarted instance — a new member — waits that long for its first rebalance
        boolean stopped =
            streams.close(
                CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT));
        if (!stopped) {
          LOG.warn("kafka streams did not stop within {}", CLOSE_TIMEOUT);
        }
      }
    }
    LOG.info("usage-streams stopped");
  }

  /** The stores of the running app, through interactive queries. */
  private final class QueryableStores implements UsageStores {

    @Override
    public ReadOnlyWindowStore<UsageDimensions, UsageCounts> minuteStore() {
      return running().store(
          StoreQueryParameters.fromNameAndType(UsageTopology.MINUTE_STORE, QueryableStoreTypes.windowStore()));
    }

    @Override
    public ReadOnlyWindowStore<SpendDimensions, SpendCounts> spendStore() {
      return running().store(
          StoreQueryParameters.fromNameAndType(UsageTopology.SPEND_STORE, QueryableStoreTypes.windowStore()));
    }

    @Override
    public ReadOnlyKeyValueStore<String, QuotaDecision> blocksStore() {
      return running().store(
          StoreQueryParameters.fromNameAndType(UsageTopology.QUOTA_BLOCKS_STORE, QueryableStoreTypes.keyValueStore()));
    }

    private KafkaStreams running() {
      KafkaStreams kafkaStreams = streams;
      if (kafkaStreams == null || closed) {
        throw new InvalidStateStoreException("usage-streams is not running");
      }
      return kafkaStreams;
    }
  }

  /**
   * The Kafka Streams properties of the service, layered by {@link dev.tollway.schemas.kafka.KafkaSettings} as
   * every client's: its defaults (no task idling, a 10 s consumer session), which the {@code TOLLWAY_KAFKA_*}
   * settings (TLS, SASL, ...) may replace, then its own properties, which win (application id, state dir,
   * exactly-once v2, commit interval, stream threads); undecodable records are skipped and counted in
   * {@code skipped}. Tests drive the topology with the same ones.
   */
  public static Properties streamsProperties(UsageStreamsConfig config, SkippedRecords skipped) {
    requireNonNull(config, "config");
    requireNonNull(skipped, "skipped");
    Properties properties = config.kafka().clientProperties(
        Map.of(
            // every task reads a single partition (each subtopology has one source topic), so there are no
            // partitions to wait for and order by time; with the default (0) Kafka Streams checks for them
            // before every record, allocating as it goes, which cost about a tenth of the stream thread
            StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED,
            // a stream thread that fails and is replaced (StreamThreadFailures) does not leave the group, and
            // neither does an instance that crashes: its partitions wait for its session to time out before
            // another member gets them, with no usage counted and no budget enforced meanwhile. Kafka's 45 s
            // becomes 10 s, below which heartbeats every 3 s still ride out a lost one
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis()),
        Map.of(
            StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId(),
            StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString(),
            StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
            StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis(),
            StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads()));
    SkipUndecodableRecords.install(properties, skipped);
    return properties;
  }
}
