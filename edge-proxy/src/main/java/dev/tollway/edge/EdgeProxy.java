package dev.tollway.edge;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.admin.AdminHandler;
import dev.tollway.edge.admin.EdgeMetrics;
import dev.tollway.edge.pipeline.Pipeline;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.pipeline.InFlight;
import dev.tollway.edge.pipeline.PipelineContext;
import dev.tollway.edge.pipeline.RequestLimits;
import dev.tollway.edge.health.HealthRegistry;
import dev.tollway.edge.provider.ProtocolLookup;
import dev.tollway.edge.provider.ProviderProtocols;
import dev.tollway.edge.quota.QuotaBook;
import dev.tollway.edge.quota.QuotaConsumer;
import dev.tollway.edge.quota.QuotaStore;
import dev.tollway.edge.ratelimit.RateLimiter;
import dev.tollway.edge.routing.CompiledRoute;
import dev.tollway.edge.routing.RoutingTable;
import dev.tollway.edge.server.BoundListener;
import dev.tollway.edge.server.ListenerManager;
import dev.tollway.edge.server.ThreadBufferPool;
import dev.tollway.edge.snapshot.RoutingState;
import dev.tollway.edge.snapshot.SnapshotBackendResolver;
import dev.tollway.edge.snapshot.SnapshotConsumer;
import dev.tollway.edge.snapshot.SnapshotStore;
import dev.tollway.edge.tls.ListenerCertificates;
import dev.tollway.edge.trace.OtelTracing;
import dev.tollway.edge.trace.TraceSettings;
import dev.tollway.edge.trace.Tracing;
import dev.tollway.edge.upstream.HostnameVerifyingSslContext;
import dev.tollway.edge.upstream.UpstreamClient;
import dev.tollway.edge.usage.KafkaUsagePublisher;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.snapshot.RoutePolicy.RateLimit;
import io.micrometer.core.instrument.Gauge;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * The edge-proxy service: owns the XNIO worker, the Gateway listeners, the admin port, the config and quota
 * consumers, the rate limiter and the usage publisher; {@link #start()}, an idempotent {@link #close()} that drains requests in flight,
 * liveness and readiness.
 */
public final class EdgeProxy implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EdgeProxy.class);

  /**
   * What the proxy talks to, replaceable in tests and the local launcher.
   *
   * @param protocols the provider protocols
   * @param configConsumer makes the consumer of the config topic
   * @param usageProducer makes the producer of usage events
   * @param random weighted backend choice (thread-safe)
   * @param quotaConsumer makes the consumer of the quota topic
   * @param tracing makes the request tracing from the configured settings (default: {@link OtelTracing#of})
   */
  public record Dependencies(
      ProtocolLookup protocols,
      Supplier<Consumer<String, byte[]>> configConsumer,
      Supplier<Producer<String, byte[]>> usageProducer,
      RandomGenerator random,
      Supplier<Consumer<String, byte[]>> quotaConsumer,
      Function<TraceSettings, Tracing> tracing) {

    public Dependencies {
      requireNonNull(protocols, "protocols");
      requireNonNull(configConsumer, "configConsumer");
      requireNonNull(usageProducer, "usageProducer");
      requireNonNull(random, "random");
      requireNonNull(quotaConsumer, "quotaConsumer");
      requireNonNull(tracing, "tracing");
    }

    /** With the configured tracing ({@link OtelTracing#of}). */
    public Dependencies(
        ProtocolLookup protocols,
        Supplier<Consumer<String, byte[]>> configConsumer,
        Supplier<Producer<String, byte[]>> usageProducer,
        RandomGenerator random,
        Supplier<Consumer<String, byte[]>> quotaConsumer) {
      this(protocols, configConsumer, usageProducer, random, quotaConsumer, OtelTracing::of);
    }

    /**
     * Real Kafka clients for the configured bootstrap servers and client properties, and every provider protocol
     * Tollway has.
     */
    public static Dependencies kafka(EdgeProxyConfig config) {
      return new Dependencies(
          ProviderProtocols.system(),
          SnapshotConsumer.kafka(config.kafka()),
          () -> KafkaUsagePublisher.kafkaProducer(config.kafka()),
          new Random(),
          QuotaConsumer.kafka(config.kafka()));
    }
  }

  private final EdgeProxyConfig config;
  private final Clock clock;
  private final Dependencies dependencies;
  private final EdgeMetrics metrics = EdgeMetrics.create();
  private final RoutingState routing;
  private final HealthRegistry health;
  private final InFlight inFlight = new InFlight();
  private final SnapshotCipher cipher;
  private final RateLimiter rateLimiter;
  private final QuotaBook quotas = new QuotaBook();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean closing;

  private @Nullable XnioWorker worker;
  private @Nullable UpstreamClient upstream;
  private @Nullable KafkaUsagePublisher publisher;
  private @Nullable GracefulShutdownHandler graceful;
  private @Nullable ListenerManager listeners;
  private @Nullable BoundListener admin;
  private @Nullable SnapshotConsumer consumer;
  private @Nullable QuotaConsumer quotaConsumer;
  private @Nullable ScheduledExecutorService housekeeping;
  private @Nullable Tracing tracing;

  /** A proxy on real Kafka clients with every provider protocol Tollway has. */
  public EdgeProxy(EdgeProxyConfig config, SnapshotCipher cipher, Clock clock) {
    this(config, cipher, clock, Dependencies.kafka(requireNonNull(config, "config")));
  }

  public EdgeProxy(EdgeProxyConfig config, SnapshotCipher cipher, Clock clock, Dependencies dependencies) {
    this.config = requireNonNull(config, "config");
    this.clock = requireNonNull(clock, "clock");
    this.dependencies = requireNonNull(dependencies, "dependencies");
    this.cipher = requireNonNull(cipher, "cipher");
    this.rateLimiter = new RateLimiter(clock);
    SnapshotStore store = config.stateDir() == null ? null : new SnapshotStore(config.stateDir());
    this.routing = new RoutingState(
        config::serves,
        new SnapshotBackendResolver(requireNonNull(cipher, "cipher"), dependencies.protocols()),
        store,
        metrics.registry());
    this.health = new HealthRegistry(clock, metrics.registry());
  }

  /** Binds the admin port, loads the kept snapshots, binds their listeners and starts consuming. */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    LOG.info("starting edge-proxy: {}", config);
    try {
      XnioWorker w = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(
          OptionMap.builder()
              .set(Options.WORKER_IO_THREADS, config.ioThreads())
              .set(Options.WORKER_TASK_CORE_THREADS, 2)
              .set(Options.WORKER_TASK_MAX_THREADS, 8)
              .set(Options.WORKER_NAME, "tollway-edge")
              .set(Options.TCP_NODELAY, true)
              .getMap());
      worker = w;
      ByteBufferPool buffers = new ThreadBufferPool(16 * 1024, 12);
      UndertowXnioSsl ssl = new UndertowXnioSsl(
          w.getXnio(), OptionMap.EMPTY, HostnameVerifyingSslContext.wrap(SSLContext.getDefault()));
      UpstreamClient client = new UpstreamClient(w, buffers, ssl, config.upstreamConnectTimeout(), metrics.registry());
      upstream = client;
      KafkaUsagePublisher usage = KafkaUsagePublisher.create(
          dependencies.usageProducer().get(), config.usageQueueCapacity(),
          config.stateDir() == null ? null : config.stateDir().resolve("usage-spool"), config.usageSpoolMaxBytes(),
          config.usageOverflow(), clock, metrics.registry());
      publisher = usage;
      usage.start();

      Tracing requestTracing = dependencies.tracing().apply(config.tracing());
      tracing = requestTracing;
      PipelineContext context = new PipelineContext(
          routing::current, dependencies.protocols(), client, usage, metrics, clock, dependencies.random(),
          config.maxRequestBytes(), config.upstreamTimeout(), config.gateway(), cipher::digest, rateLimiter, quotas,
          health, new RequestLimits(config.maxJsonDepth(), config.maxJsonStringLength()), inFlight, requestTracing);
      HttpHandler chain = Pipeline.build(context);
      GracefulShutdownHandler drain = new GracefulShutdownHandler(chain);
      graceful = drain;
      ListenerManager manager = new ListenerManager(
          w, buffers, config.bindAddress(), config::localPortFor, drain, listenerOptions(config));
      listeners = manager;
      routing.onChange(table -> {
        manager.reconcile(table.declaredPorts(), ListenerCertificates.of(table, cipher));
        health.retainOnly(table.providerKeys());
      });
      routing.onChange(this::retainRateLimits);
      Gauge.builder("tollway.ratelimit.buckets", rateLimiter, RateLimiter::size)
          .description("token buckets held for rate-limited callers").register(metrics.registry());
      ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tollway-ratelimit-sweeper");
        t.setDaemon(true);
        return t;
      });
      housekeeping = sweeper;
      sweeper.scheduleWithFixedDelay(rateLimiter::sweep, 30, 30, TimeUnit.SECONDS);

      admin = BoundListener.bind(
          w, buffers, new InetSocketAddress(config.bindAddress(), config.adminPort()),
          new AdminHandler(this::isLive, this::isReady, metrics), OptionMap.EMPTY);
      LOG.info("admin endpoints on {}:{}", config.bindAddress(), admin.localPort());

      QuotaConsumer decisions = new QuotaConsumer(dependencies.quotaConsumer(), quotas,
          config.stateDir() == null ? null : new QuotaStore(config.stateDir()), clock, metrics.registry());
      quotaConsumer = decisions;
      decisions.start();

      routing.loadFromDisk();
      SnapshotConsumer snapshots = new SnapshotConsumer(dependencies.configConsumer(), routing);
      consumer = snapshots;
      snapshots.start();
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("edge-proxy cannot start: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      close();
      throw new IllegalStateException("edge-proxy cannot start: no default TLS context", e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Stops accepting, drains requests in flight up to {@code TOLLWAY_DRAIN_TIMEOUT}, flushes usage events and
   * releases everything. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closing = true;
    LOG.info("edge-proxy stopping");
    if (consumer != null) {
      consumer.close();
    }
    if (quotaConsumer != null) {
      quotaConsumer.close();
    }
    if (housekeeping != null) {
      housekeeping.shutdownNow();
    }
    if (listeners != null) {
      listeners.stopAccepting();
    }
    if (graceful != null) {
      graceful.shutdown();
      try {
        if (!graceful.awaitShutdown(config.drainTimeout().toMillis())) {
          LOG.warn("requests still in flight after {}; ending {} chat request(s) with an error, closing the rest",
              config.drainTimeout(), inFlight.size());
          inFlight.endAll(new GatewayException(ErrorReason.UNAVAILABLE, "the gateway is shutting down"));
          graceful.awaitShutdown(1_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (listeners != null) {
      listeners.close();
    }
    if (publisher != null) {
      publisher.close(Duration.ofSeconds(10));
    }
    if (upstream != null) {
      upstream.close();
    }
    if (tracing != null) {
      tracing.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (worker != null) {
      worker.shutdown();
      try {
        if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
          worker.shutdownNow();
        }
      } catch (InterruptedException e) {
        worker.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    LOG.info("edge-proxy stopped");
  }

  /** Client-facing limits: header size, slow clients, idle keep-alive connections. */
  static OptionMap listenerOptions(EdgeProxyConfig config) {
    int readMillis = (int) Math.min(Integer.MAX_VALUE, config.clientReadTimeout().toMillis());
    return OptionMap.builder()
        .set(UndertowOptions.MAX_HEADER_SIZE, config.maxHeaderBytes())
        .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, readMillis)
        .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int) Math.min(Integer.MAX_VALUE, config.clientIdleTimeout().toMillis()))
        .set(Options.READ_TIMEOUT, readMillis)
        .getMap();
  }

  /** Started and not stopped. */
  public boolean isLive() {
    return started.get() && !closed.get();
  }

  /** A snapshot is loaded, every listener of it is bound, and the proxy is not stopping. */
  public boolean isReady() {
    ListenerManager manager = listeners;
    return isLive() && !closing && routing.hasSnapshot() && manager != null && manager.allBound();
  }

  /** Where a listener's declared port is bound locally, once it is. */
  public Optional<Integer> localPort(int declaredPort) {
    ListenerManager manager = listeners;
    return manager == null ? Optional.empty() : manager.localPort(declaredPort);
  }

  /** The admin port as bound. */
  public int adminPort() {
    BoundListener bound = admin;
    if (bound == null) {
      throw new IllegalStateException("edge-proxy not started");
    }
    return bound.localPort();
  }

  /** The quota decisions the proxy holds. */
  public QuotaBook quotas() {
    return quotas;
  }

  /** Whether the quota topic has been read up to where it was when the proxy started. */
  public boolean quotasCaughtUp() {
    QuotaConsumer c = quotaConsumer;
    return c != null && c.caughtUp();
  }

  /** Forgets the rate-limit buckets of limits and API keys that left the configuration. */
  private void retainRateLimits(RoutingTable table) {
    Set<RateLimit> limits = new HashSet<>();
    Set<String> keyIds = new HashSet<>();
    for (CompiledRoute route : table.routes()) {
      limits.addAll(route.policy().rateLimits());
      route.keys().accepted().forEach(key -> keyIds.add(key.id()));
    }
    rateLimiter.retain(limits, keyIds);
  }

  /** The routing table in force now. */
  public RoutingTable routingTable() {
    return routing.current();
  }

  /** The proxy's metrics. */
  public EdgeMetrics metrics() {
    return metrics;
  }
}
