package dev.tollway.config;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.kubernetes.KubernetesSource;
import dev.tollway.config.kubernetes.KubernetesWriter;
import dev.tollway.config.leader.LeaseLeadership;
import dev.tollway.config.leader.Leadership;
import dev.tollway.config.provision.ProxyProvisioner;
import dev.tollway.config.budget.BudgetCompiler;
import dev.tollway.config.budget.BudgetResult;
import dev.tollway.config.price.LiteLlmTable;
import dev.tollway.config.price.PriceCatalog;
import dev.tollway.config.price.PriceCompiler;
import dev.tollway.config.price.PriceResult;
import dev.tollway.config.publish.CompactedTopicPublisher;
import dev.tollway.config.publish.KafkaClients;
import dev.tollway.config.publish.PublishResult;
import dev.tollway.config.publish.SnapshotPublisher;
import dev.tollway.config.snapshot.CompileResult;
import dev.tollway.config.snapshot.SnapshotCompiler;
import dev.tollway.config.status.ResourceStatus;
import dev.tollway.config.topics.TopicSetup;
import dev.tollway.config.watch.ConfigSource;
import dev.tollway.config.watch.FolderSource;
import dev.tollway.config.watch.SourceNotReadyException;
import dev.tollway.config.watch.SourceProblem;
import dev.tollway.config.watch.SourceState;
import dev.tollway.config.writeback.StatusWriter;
import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.topic.Topics;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * config-service: watches a source, and on every change recompiles everything and publishes what changed.
 *
 * <p>Level-based: the source only signals that something changed; ONE worker thread then reads the whole
 * state, compiles it with the pure {@link SnapshotCompiler} and publishes the difference with the
 * {@link SnapshotPublisher}. The same pass compiles the prices (the bundled catalog with the
 * {@code ModelPrice} resources on top, {@link PriceCompiler}) and the {@code Budget} resources
 * ({@link BudgetCompiler}) and publishes what changed to {@code tollway.prices.v1} and
 * {@code tollway.budgets.v1}. Signals that arrive while a pass is pending coalesce into it. A pass that
 * fails (the source cannot be read, a write is not acknowledged) is retried with backoff; until then the
 * topics keep the last good records. Failing conditions are logged when they appear or change. Snapshots are
 * published first: a price or budget topic that cannot be written never holds back a Gateway's snapshot.
 *
 * <p>With the Kubernetes source, a pass also writes back to the cluster through a {@link ClusterWriter}
 * (proxies, then status), after publishing. With leader election, only the leader publishes and writes; a
 * follower keeps its informer caches warm, and when it becomes the leader it reads the topics back and runs a
 * full pass.
 *
 * <p>Ready after the first pass that published everything successfully (a follower: once its source can be
 * read); live while it has not been closed and its source still watches.
 */
public final class ConfigService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConfigService.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(500);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private final ConfigServiceConfig config;
  private final SnapshotCompiler compiler;
  private final PriceCatalog catalog;
  private final ConfigSource source;
  private final KafkaClients clients;
  private final ClusterWriter writer;
  private final Leadership leadership;
  private final TopicSetup topics;
  private final Clock clock;
  private final ScheduledExecutorService worker;
  private final List<SnapshotListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean pending = new AtomicBoolean();
  private final AtomicBoolean relearn = new AtomicBoolean();
  private volatile boolean ready;
  private volatile @Nullable PublishCycle lastCycle;

  // confined to the worker thread
  private @Nullable SnapshotPublisher publisher;
  private @Nullable CompactedTopicPublisher<ModelPrice> pricePublisher;
  private @Nullable CompactedTopicPublisher<Budget> budgetPublisher;
  private boolean learned;
  private boolean topicsReady;
  private Duration retryDelay = FIRST_RETRY;
  private Set<String> reportedProblems = Set.of();
  private @Nullable Instant notReadySince;

  /**
   * The general constructor.
   *
   * @param config the configuration
   * @param cipher seals provider credentials (local mode shares one cipher with the proxies in-process)
   * @param clock the clock for cycle times
   * @param source where resources come from
   * @param clients creates the Kafka producer and the consumer that reads the topics back at start
   * @param catalog the price catalog the {@code ModelPrice} resources are layered on
   */
  public ConfigService(ConfigServiceConfig config, SnapshotCipher cipher, Clock clock, ConfigSource source,
      KafkaClients clients, PriceCatalog catalog) {
    this(config, cipher, clock, source, clients, catalog, ClusterWriter.NONE, Leadership.always());
  }

  /**
   * The constructor of the Kubernetes wiring.
   *
   * @param writer what a pass writes back to the cluster after publishing
   * @param leadership whether this instance may publish and write
   */
  public ConfigService(ConfigServiceConfig config, SnapshotCipher cipher, Clock clock, ConfigSource source,
      KafkaClients clients, PriceCatalog catalog, ClusterWriter writer, Leadership leadership) {
    this.config = requireNonNull(config, "config");
    this.catalog = requireNonNull(catalog, "catalog");
    this.writer = requireNonNull(writer, "writer");
    this.leadership = requireNonNull(leadership, "leadership");
    this.topics = new TopicSetup(config.topics(), ConfigServiceConfig.KAFKA_TIMEOUT);
    this.compiler = new SnapshotCompiler(requireNonNull(cipher, "cipher"), config.gatewayClasses(),
        config.controllerName());
    this.clock = requireNonNull(clock, "clock");
    this.source = requireNonNull(source, "source");
    this.clients = requireNonNull(clients, "clients");
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "tollway-config-worker");
      t.setDaemon(true);
      return t;
    });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // close() does not wait for retries
    this.worker = executor;
  }

  /** As the general constructor, with the bundled price catalog ({@link LiteLlmTable#bundled()}). */
  public ConfigService(
      ConfigServiceConfig config, SnapshotCipher cipher, Clock clock, ConfigSource source, KafkaClients clients) {
    this(config, cipher, clock, source, clients, LiteLlmTable.bundled());
  }

  /**
   * Reads the folder {@link ConfigServiceConfig#configDir()}, expanding {@code ${NAME}} from
   * {@code environment}, and publishes with real Kafka clients.
   */
  public ConfigService(
      ConfigServiceConfig config, SnapshotCipher cipher, Clock clock, Map<String, String> environment) {
    this(config, cipher, clock, new FolderSource(folder(config), environment), KafkaClients.kafka());
  }

  private static java.nio.file.Path folder(ConfigServiceConfig config) {
    if (config.configDir() == null) {
      throw new IllegalArgumentException(ConfigServiceConfig.CONFIG_DIR + ": missing (required by the folder source)");
    }
    return config.configDir();
  }

  /**
   * config-service on the Kubernetes API: informers on {@code client} (namespaces from
   * {@code TOLLWAY_WATCH_NAMESPACES}), status written back ({@code TOLLWAY_WRITE_STATUS}), proxies provisioned
   * ({@code TOLLWAY_PROVISION}, which needs the snapshot key of the configuration) and leader election on a Lease
   * ({@code TOLLWAY_LEADER_ELECTION}). Main, the local launcher ({@code --kubernetes}) and the tests wire it here.
   * The client stays the caller's to close.
   */
  public static ConfigService kubernetes(ConfigServiceConfig config, SnapshotCipher cipher, Clock clock,
      KubernetesClient client, KafkaClients clients) {
    requireNonNull(config, "config");
    requireNonNull(client, "client");
    KubernetesSource source = new KubernetesSource(client, config.watchNamespaces(), config.resyncPeriod(),
        config.provisioning().enabled());
    ProxyProvisioner provisioner = null;
    if (config.provisioning().enabled()) {
      if (config.snapshotKey() == null) {
        throw new IllegalArgumentException(ConfigServiceConfig.SNAPSHOT_KEY + " or "
            + ConfigServiceConfig.SNAPSHOT_KEY_FILE + ": missing (expected: the key the provisioned proxies need)");
      }
      provisioner = new ProxyProvisioner(client, source, config.provisioning(), config.snapshotKey(),
          config.controllerName());
    }
    StatusWriter status = config.writeStatus() ? new StatusWriter(client, clock, config.controllerName()) : null;
    Leadership leadership = config.leaderElection().enabled()
        ? new LeaseLeadership(client, config.leaderElection()) : Leadership.always();
    return new ConfigService(config, cipher, clock, source, clients, LiteLlmTable.bundled(),
        new KubernetesWriter(provisioner, status), leadership);
  }

  /** As {@link #ConfigService(ConfigServiceConfig, SnapshotCipher, Clock, Map)} with the process environment. */
  public ConfigService(ConfigServiceConfig config, SnapshotCipher cipher, Clock clock) {
    this(config, cipher, clock, System.getenv());
  }

  /** Adds a listener told about every pass. */
  public void addListener(SnapshotListener listener) {
    listeners.add(requireNonNull(listener, "listener"));
  }

  /**
   * Starts watching the source and schedules the first pass (which first reads the topic back).
   *
   * @throws IllegalStateException when started twice or after {@link #close()}
   * @throws UncheckedIOException when the source cannot be watched
   */
  public void start() {
    if (closed.get() || !started.compareAndSet(false, true)) {
      throw new IllegalStateException("config-service can be started once, before it is closed");
    }
    try {
      source.watch(this::requestPass);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch " + source + ": " + e.getMessage(), e);
    }
    log.info("config-service started: source={} classes={} controller={} writer={} leadership={}", source,
        config.gatewayClasses(), config.controllerName(), writer, leadership);
    leadership.start(this::leadershipChanged);
    requestPass();
  }

  private void leadershipChanged() {
    if (leadership.isLeader()) {
      relearn.set(true); // another leader may have published meanwhile
      requestPass();
    }
  }

  /** Whether this instance leads (always true without leader election). */
  public boolean isLeader() {
    return leadership.isLeader();
  }

  /** Asks for a pass; coalesces with one already pending. */
  public void requestPass() {
    if (!closed.get() && pending.compareAndSet(false, true)) {
      try {
        worker.execute(this::pass);
      } catch (RejectedExecutionException e) {
        pending.set(false);
      }
    }
  }

  private void pass() {
    pending.set(false);
    if (closed.get()) {
      return;
    }
    try {
      if (!leadership.isLeader()) {
        source.read(); // a follower only checks that its caches are readable, to take over at once
        ready = true;
        retryDelay = FIRST_RETRY;
        return;
      }
      SnapshotPublisher pub = publisher();
      CompactedTopicPublisher<ModelPrice> pricesOut = requireNonNull(pricePublisher, "pricePublisher");
      CompactedTopicPublisher<Budget> budgetsOut = requireNonNull(budgetPublisher, "budgetPublisher");
      String pricesUnread = learn(pricesOut);
      String budgetsUnread = learn(budgetsOut);
      SourceState read = source.read();
      Instant compileStart = clock.instant();
      CompileResult result = compiler.compile(read.state());
      PriceResult prices = PriceCompiler.compile(catalog, read.state().modelPrices(), pricesOut.current());
      BudgetResult budgets = BudgetCompiler.compile(read.state().budgets(), budgetsOut.current());
      Duration compileTime = Duration.between(compileStart, clock.instant());
      List<ResourceStatus.Problem> problems = new ArrayList<>(result.problems());
      problems.addAll(prices.problems());
      problems.addAll(budgets.problems());
      reportProblems(read.problems(), problems);
      PublishResult published = pub.publish(result.snapshots());
      MeteringCycle metering = new MeteringCycle(
          prices, publishTo(pricesOut, pricesUnread, prices.prices()),
          budgets, publishTo(budgetsOut, budgetsUnread, budgets.budgets()));
      ClusterWrite written = writer.write(read, result);
      PublishCycle cycle = new PublishCycle(
          clock.instant(), compileTime, result, published, read.problems(), metering, written);
      lastCycle = cycle;
      for (String line : cycle.describe()) {
        log.info("{} (compiled {} resources in {} ms)", line, read.state().size(), compileTime.toMillis());
      }
      if (published.ok() && metering.ok()) {
        ready = true;
      }
      published.failed().forEach((gateway, error) -> log.warn(
          "gateway={} snapshot not published, retrying in {} ms: {}", gateway, retryDelay.toMillis(), error));
      written.provisioning().failures().forEach((gateway, error) -> log.warn(
          "gateway={} proxies not provisioned, retrying in {} ms: {}", gateway, retryDelay.toMillis(), error));
      written.status().failures().forEach((resource, error) -> log.warn(
          "resource=\"{}\" status not written, retrying in {} ms: {}", resource, retryDelay.toMillis(), error));
      logFailures("price", metering.pricesPublish().failed());
      logFailures("budget", metering.budgetsPublish().failed());
      if (published.ok() && metering.ok() && written.ok()) {
        retryDelay = FIRST_RETRY;
      } else {
        scheduleRetry();
      }
      notifyListeners(cycle);
    } catch (SourceNotReadyException e) {
      Instant now = clock.instant();
      if (notReadySince == null) {
        notReadySince = now;
      }
      if (Duration.between(notReadySince, now).compareTo(MAX_RETRY) < 0) {
        log.debug("source not ready yet: {}", e.getMessage());
      } else {
        log.warn("source not ready for {} s: {}", Duration.between(notReadySince, now).toSeconds(), e.getMessage());
      }
      scheduleRetry(); // the source also signals when it becomes ready
    } catch (IOException | RuntimeException e) {
      log.warn("configuration pass failed; the topic keeps the last published snapshots; retrying in {} ms: {}",
          retryDelay.toMillis(), e.toString());
      scheduleRetry();
    }
  }

  private SnapshotPublisher publisher() {
    SnapshotPublisher pub = publisher;
    if (pub == null) {
      Producer<String, byte[]> producer = clients.producer(config.producerProperties());
      pub = new SnapshotPublisher(producer, ConfigServiceConfig.KAFKA_TIMEOUT);
      pricePublisher = new CompactedTopicPublisher<>(producer, Topics.PRICES, ConfigServiceConfig.KAFKA_TIMEOUT);
      budgetPublisher = new CompactedTopicPublisher<>(producer, Topics.BUDGETS, ConfigServiceConfig.KAFKA_TIMEOUT);
      publisher = pub;
    }
    if (!topicsReady) {
      if (topics.settings().creates()) {
        try (Admin admin = clients.admin(config.adminProperties())) {
          topics.run(admin);
        }
      }
      topicsReady = true;
    }
    if (relearn.getAndSet(false)) {
      learned = false;
    }
    if (!learned) {
      try (Consumer<String, byte[]> consumer = clients.consumer(config.consumerProperties())) {
        pub.learn(consumer);
      }
      learned = true;
    }
    return pub;
  }

  /**
   * Reads a price or budget topic back, once: what it holds is what was accepted before, which the compilers
   * keep in force for resources that turned invalid.
   *
   * @return {@code null} when the topic has been read, else why it could not be (the next pass retries)
   */
  private @Nullable String learn(CompactedTopicPublisher<?> target) {
    if (target.learned()) {
      return null;
    }
    try (Consumer<String, byte[]> consumer = clients.consumer(config.consumerProperties())) {
      target.learn(consumer);
      return null;
    } catch (RuntimeException e) {
      return "cannot read the topic back: " + e.getMessage();
    }
  }

  /**
   * Publishes to a price or budget topic. A topic that could not be read back is reported in
   * {@link PublishResult#failed()} under the topic's name, and nothing is written to it.
   */
  private static <V> PublishResult publishTo(
      CompactedTopicPublisher<V> target, @Nullable String unread, SortedMap<String, V> records) {
    if (unread != null) {
      SortedMap<String, String> failed = new TreeMap<>();
      failed.put(target.topic(), unread);
      return new PublishResult(List.of(), List.of(), 0, failed);
    }
    return target.publish(records);
  }

  /** One line per failed write, or one line for many (a broker that is down fails every price). */
  private void logFailures(String what, SortedMap<String, String> failed) {
    if (failed.size() > 3) {
      Map.Entry<String, String> first = failed.entrySet().iterator().next();
      log.warn("{} {}s not published, retrying in {} ms; {}={}: {}", failed.size(), what, retryDelay.toMillis(),
          what, first.getKey(), first.getValue());
    } else {
      failed.forEach((key, error) -> log.warn(
          "{}={} not published, retrying in {} ms: {}", what, key, retryDelay.toMillis(), error));
    }
  }

  private void scheduleRetry() {
    if (closed.get()) {
      return;
    }
    try {
      worker.schedule(this::requestPass, retryDelay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return; // closed meanwhile
    }
    retryDelay = retryDelay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retryDelay.multipliedBy(2);
  }

  /** Logs problems that are new since the previous pass (WARN) and those that went away (INFO). */
  private void reportProblems(List<SourceProblem> sourceProblems, List<ResourceStatus.Problem> problems) {
    Map<String, Runnable> current = new LinkedHashMap<>();
    for (SourceProblem p : sourceProblems) {
      current.put("source " + p, () -> log.warn("source={} problem={}", p.location(), p.message()));
    }
    for (ResourceStatus.Problem p : problems) {
      String scope = p.scope().isEmpty() ? "" : " " + p.scope();
      current.put(p.resource() + scope + " " + p.condition(), () -> log.warn(
          "resource=\"{}\"{} condition={}={} reason={} message=\"{}\"", p.resource(), scope,
          p.condition().type(), p.condition().status(), p.condition().reason(), p.condition().message()));
    }
    current.forEach((key, logIt) -> {
      if (!reportedProblems.contains(key)) {
        logIt.run();
      }
    });
    for (String gone : reportedProblems) {
      if (!current.containsKey(gone)) {
        log.info("resolved: {}", gone);
      }
    }
    reportedProblems = new HashSet<>(current.keySet());
  }

  private void notifyListeners(PublishCycle cycle) {
    for (SnapshotListener listener : listeners) {
      try {
        listener.onCycle(cycle);
      } catch (RuntimeException e) {
        log.warn("snapshot listener {} failed: {}", listener, e.toString());
      }
    }
  }

  /** The last pass, if one has run. */
  public Optional<PublishCycle> lastCycle() {
    return Optional.ofNullable(lastCycle);
  }

  /** Live while started, not closed, and the source still watches for changes. */
  public boolean isLive() {
    return started.get() && !closed.get() && !worker.isShutdown() && source.isWatching();
  }

  /** Ready once a pass has published successfully. */
  public boolean isReady() {
    return ready && !closed.get();
  }

  /** Stops watching, lets a running pass finish (up to the Kafka timeout) and closes the producer. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    leadership.close(); // first: a follower takes over while this one stops
    source.close();
    worker.shutdown();
    try {
      if (!worker.awaitTermination(ConfigServiceConfig.KAFKA_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      worker.shutdownNow();
      Thread.currentThread().interrupt();
    }
    SnapshotPublisher pub = publisher;
    if (pub != null) {
      pub.close();
    }
    log.info("config-service stopped");
  }
}
