package dev.tollway.edge.usage;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.usage.Spool.SpooledRecord;
import dev.tollway.schemas.kafka.KafkaSettings;
import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.usage.UsageEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes usage events to {@code tollway.usage.v1}, keyed by request id, losing none while Kafka is away.
 *
 * <p>A request only offers its events to a bounded memory queue ({@link #submit} never blocks). One thread
 * sends them to an idempotent {@code acks=all} producer. When Kafka cannot take an event (the send failed or
 * timed out), the publisher turns <em>degraded</em>: the event goes to the {@link Spool} — an append-only,
 * checksummed log in the state folder, or a bounded memory list without one — and so do the events that follow,
 * in order, freeing memory; the spool is replayed in order, a batch at a time with a growing pause, and each
 * batch is removed once Kafka acknowledged all of it. When the spool is empty again, events go straight to the
 * producer. A batch that was partly delivered before a failure is sent again: usage-streams counts each
 * {@code eventId} once. The spool survives a restart, so a proxy stopped while Kafka is down delivers its
 * events after the next start.
 *
 * <p>When the memory queue is full too (the spool full or absent), the overflow policy applies: {@code drop}
 * counts and logs the event; {@code fail-closed} also refuses new requests ({@link #accepting()}) while less
 * than a twentieth of the queue is free, which keeps room for the events of requests already in flight.
 */
public final class KafkaUsagePublisher implements UsageSink, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaUsagePublisher.class);
  private static final Duration WARN_INTERVAL = Duration.ofSeconds(10);
  /** The most events one turn takes from memory (or replays from the spool): a pause's worth at 100,000 a second. */
  private static final int BATCH = 2_000;
  private static final long MIN_BACKOFF_MILLIS = 200;
  private static final long MAX_BACKOFF_MILLIS = 5_000;
  /**
   * After a turn that found events (and did not take a full {@link #BATCH}), the loop pauses this long before
   * taking the next ones, all at once. A busy proxy's IO threads then add events to the queue without waking
   * this thread for each (a futex wake per request was a measurable share of the proxy's CPU), and the producer
   * gets each pause's events together, so they start their partitions' batches together and leave in one
   * request after its linger, instead of a batch per partition started at a different time, each waking the
   * producer's sender. An idle loop waits on the queue and is woken by the first event. Events reach Kafka up to
   * this plus the linger later.
   */
  private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
  /** The producer's linger (see {@link #producerProperties}). */
  static final int LINGER_MS = 25;
  /** The producer's batch size per partition (see {@link #producerProperties}). */
  static final int BATCH_BYTES = 128 * 1024;
  /** The producer's compression, unless the settings name another (see {@link #producerProperties}). */
  static final String COMPRESSION = "lz4";

  private final Producer<String, byte[]> producer;
  private final BlockingQueue<UsageEvent> queue;
  private final int reserve;
  private final Spool spool;
  private final UsageOverflow overflow;
  private final Clock clock;
  private final Counter published;
  private final Counter dropped;
  private final Counter spooled;
  private final Counter failed;
  private final Counter refused;
  private final ConcurrentLinkedQueue<SpooledRecord> bounced = new ConcurrentLinkedQueue<>();
  private final AtomicLong droppedSinceWarn = new AtomicLong();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final List<UsageEvent> drained = new ArrayList<>();
  private final UsageEventJson json = new UsageEventJson();
  private volatile Instant lastWarn = Instant.EPOCH;
  private volatile boolean running;
  private volatile boolean degraded;
  private volatile long spoolSize;
  private volatile long spoolBytes;
  private @Nullable Thread thread;
  private @Nullable List<Future<RecordMetadata>> batch;
  private long nextReplayMillis;
  private long backoffMillis = MIN_BACKOFF_MILLIS;

  /** A publisher with an in-memory spool as large as the queue, dropping on overflow. */
  public KafkaUsagePublisher(Producer<String, byte[]> producer, int capacity, Clock clock, MeterRegistry meters) {
    this(producer, capacity, new MemorySpool(capacity), UsageOverflow.DROP, clock, meters);
  }

  /**
   * @param capacity events held in memory
   * @param spoolDir where events wait on disk while Kafka is away; null to keep them in memory only
   * @param spoolMaxBytes the most the disk spool may hold
   */
  public static KafkaUsagePublisher create(
      Producer<String, byte[]> producer, int capacity, java.nio.file.@Nullable Path spoolDir, long spoolMaxBytes,
      UsageOverflow overflow, Clock clock, MeterRegistry meters) {
    Counter corrupt = Counter.builder("tollway.usage.spool.corrupt")
        .description("damaged records skipped in the usage spool").register(meters);
    Spool spool = spoolDir == null
        ? new MemorySpool(capacity)
        : new DiskSpool(spoolDir, spoolMaxBytes, Math.min(8L * 1024 * 1024, Math.max(64 * 1024, spoolMaxBytes / 8)),
            corrupt::increment);
    return new KafkaUsagePublisher(producer, capacity, spool, overflow, clock, meters);
  }

  KafkaUsagePublisher(
      Producer<String, byte[]> producer, int capacity, Spool spool, UsageOverflow overflow, Clock clock,
      MeterRegistry meters) {
    this.producer = requireNonNull(producer, "producer");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: 1 or more)");
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.reserve = Math.max(1, capacity / 20);
    this.spool = requireNonNull(spool, "spool");
    this.overflow = requireNonNull(overflow, "overflow");
    this.clock = requireNonNull(clock, "clock");
    this.published = counter(meters, "published");
    this.dropped = counter(meters, "dropped");
    this.spooled = counter(meters, "spooled");
    this.failed = counter(meters, "failed");
    this.refused = Counter.builder("tollway.usage.refused")
        .description("requests refused because their usage could not be buffered (fail-closed)").register(meters);
    this.spoolSize = spool.size();
    this.spoolBytes = spool.bytes();
    this.degraded = !spool.isEmpty();
    Gauge.builder("tollway.usage.queue.depth", queue, BlockingQueue::size).register(meters);
    Gauge.builder("tollway.usage.spool.events", this, p -> p.spoolSize).register(meters);
    Gauge.builder("tollway.usage.spool.bytes", this, p -> p.spoolBytes).register(meters);
    if (degraded) {
      LOG.info("usage spool holds {} event(s) from before; they are delivered when Kafka answers", spool.size());
    }
  }

  private static Counter counter(MeterRegistry meters, String outcome) {
    return Counter.builder("tollway.usage.events").tag("outcome", outcome).register(meters);
  }

  /** The usage producer for the shared Kafka settings. */
  public static Producer<String, byte[]> kafkaProducer(KafkaSettings kafka) {
    return kafkaProducer(requireNonNull(kafka, "kafka").bootstrapServers(), kafka.clientProperties());
  }

  /** An idempotent producer with {@code acks=all}, with further client properties (TLS, SASL). */
  public static Producer<String, byte[]> kafkaProducer(String bootstrap, java.util.Map<String, String> clientProperties) {
    return new KafkaProducer<>(producerProperties(bootstrap, clientProperties), new StringSerializer(),
        new ByteArraySerializer());
  }

  /**
   * The producer's properties: the shared Kafka settings, then this producer's own over them — idempotent,
   * {@code acks=all}, short blocking and delivery timeouts so an outage is noticed and the spool takes over,
   * and a linger of {@value #LINGER_MS} ms with batches of up to {@value #BATCH_BYTES} bytes per partition.
   * Usage is aggregated per minute, so a few milliseconds more before an event leaves cost nothing, while each
   * produce request costs CPU in the proxy (the sender thread) and in the broker: at 5 ms the sender sent a
   * request for every few events of a partition and was a tenth of the proxy's CPU at saturation (measured in
   * docs/performance.md). The batch size keeps a busy proxy's batches from being cut by size before the linger.
   * Batches are compressed with {@value #COMPRESSION} unless the settings name another {@code compression.type}
   * ({@code zstd}, {@code none}, ...): the events of a batch share most of their keys and values, and lz4 makes
   * them about a fifth of their size on the broker's disks and network (900 → 174 bytes an event; zstd 114, for
   * more of the proxy's CPU). The compression runs on the publisher's and the producer's threads, not the IO
   * threads; the proxy's and the pipeline's CPU per request did not move beyond the spread between runs
   * (docs/performance.md).
   */
  public static Properties producerProperties(String bootstrap, java.util.Map<String, String> clientProperties) {
    requireNonNull(bootstrap, "bootstrap");
    requireNonNull(clientProperties, "clientProperties");
    return new KafkaSettings(bootstrap, new java.util.TreeMap<>(clientProperties)).clientProperties(
        Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, COMPRESSION),
        Map.of(
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.LINGER_MS_CONFIG, String.valueOf(LINGER_MS),
            ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(BATCH_BYTES),
            ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000",
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000",
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000",
            ProducerConfig.CLIENT_ID_CONFIG, "tollway-edge-usage"));
  }

  public synchronized void start() {
    if (thread != null) {
      return;
    }
    running = true;
    Thread t = new Thread(this::run, "tollway-usage-publisher");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  @Override
  public boolean submit(UsageEvent event) {
    if (queue.offer(requireNonNull(event, "event"))) {
      return true;
    }
    overflow(event);
    return false;
  }

  @Override
  public boolean accepting() {
    if (overflow == UsageOverflow.DROP || queue.remainingCapacity() > reserve) {
      return true;
    }
    refused.increment();
    warn("usage buffer full: refusing new requests (TOLLWAY_USAGE_OVERFLOW=fail-closed)", null);
    return false;
  }

  private void overflow(UsageEvent event) {
    dropped.increment();
    droppedSinceWarn.incrementAndGet();
    warn("usage buffer full: usage event(s) dropped (TOLLWAY_USAGE_OVERFLOW=" + overflow.setting() + ")", event.requestId());
  }

  private void warn(String message, @Nullable String requestId) {
    Instant now = clock.instant();
    if (Duration.between(lastWarn, now).compareTo(WARN_INTERVAL) >= 0) {
      lastWarn = now;
      long count = droppedSinceWarn.getAndSet(0);
      LOG.warn("{}; dropped since the last warning: {}, last requestId={}", message, count, requestId);
    }
  }

  /** Events waiting in memory. */
  public int queued() {
    return queue.size();
  }

  /** Events waiting in the spool. */
  public long spooledEvents() {
    return spoolSize;
  }

  /** Whether Kafka could not take events lately and the spool is in use. */
  public boolean degraded() {
    return degraded;
  }

  private void run() {
    try {
      while (running) {
        int taken = step(100);
        if (taken > 0 && taken < BATCH && running) {
          // events are coming: let the next ones gather instead of being woken by each (see GATHER_NANOS)
          LockSupport.parkNanos(GATHER_NANOS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.error("usage publisher stopped unexpectedly; events are kept in memory until shutdown", e);
    } finally {
      stopped.countDown();
    }
  }

  /**
   * One turn of the loop: the events waiting in memory, taken in one batch (waiting up to {@code waitMillis}
   * for the first when there are none), to Kafka (or the spool), then the spool's replay.
   *
   * @return how many events were taken from memory
   */
  int step(long waitMillis) throws InterruptedException {
    takeBounced();
    if (!degraded) {
      List<UsageEvent> events = drained;
      events.clear();
      if (queue.drainTo(events, BATCH) == 0) {
        UsageEvent first = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
        if (first == null) {
          return 0;
        }
        events.add(first);
        queue.drainTo(events, BATCH - 1);
      }
      int taken = events.size();
      int i = 0;
      for (; i < taken && !degraded; i++) {
        sendDirect(events.get(i));
        takeBounced();
      }
      for (; i < taken; i++) {
        toSpool(events.get(i));
      }
      events.clear();
      return taken;
    }
    int taken = 0;
    while (!spool.isFull()) {
      UsageEvent event = queue.poll();
      if (event == null) {
        break;
      }
      toSpool(event);
      taken++;
    }
    replay();
    if (degraded) {
      Thread.sleep(Math.min(waitMillis, 20));
    }
    return taken;
  }

  private void sendDirect(UsageEvent event) {
    SpooledRecord record = encode(event);
    if (record == null) {
      return;
    }
    try {
      producer.send(new ProducerRecord<>(Topics.USAGE.name(), record.key(), record.value()), (metadata, error) -> {
        if (error == null) {
          published.increment();
        } else {
          bounce(record, error);
        }
      });
    } catch (RuntimeException e) {
      bounce(record, e);
    }
  }

  /** Kafka could not take a record sent directly: it goes to the spool (from the loop's thread). */
  private void bounce(SpooledRecord record, Exception error) {
    if (!degraded) {
      LOG.warn("Kafka did not take a usage event ({}); keeping usage in the spool until it answers", error.getMessage());
    }
    degraded = true;
    bounced.add(record);
  }

  private void takeBounced() {
    SpooledRecord record;
    while ((record = bounced.poll()) != null) {
      append(record);
    }
  }

  private void toSpool(UsageEvent event) {
    SpooledRecord record = encode(event);
    if (record != null) {
      append(record);
    }
  }

  private void append(SpooledRecord record) {
    if (spool.append(record)) {
      spooled.increment();
    } else {
      dropped.increment();
      droppedSinceWarn.incrementAndGet();
      warn("usage spool full: usage event(s) dropped", record.key());
    }
    spoolSize = spool.size();
    spoolBytes = spool.bytes();
  }

  private void replay() {
    List<Future<RecordMetadata>> pending = batch;
    if (pending == null) {
      long now = System.currentTimeMillis();
      if (now < nextReplayMillis || spool.isEmpty()) {
        if (spool.isEmpty() && bounced.isEmpty()) {
          degraded = false;
          LOG.info("usage spool delivered; publishing directly again");
        }
        return;
      }
      List<SpooledRecord> records = spool.peek(BATCH);
      List<Future<RecordMetadata>> futures = new ArrayList<>(records.size());
      for (SpooledRecord record : records) {
        try {
          futures.add(producer.send(new ProducerRecord<>(Topics.USAGE.name(), record.key(), record.value())));
        } catch (RuntimeException e) {
          futures.add(java.util.concurrent.CompletableFuture.failedFuture(e));
        }
      }
      batch = futures;
      return;
    }
    for (Future<RecordMetadata> future : pending) {
      if (!future.isDone()) {
        return;
      }
    }
    batch = null;
    int delivered = 0;
    for (Future<RecordMetadata> future : pending) {
      try {
        future.get();
        delivered++;
      } catch (Exception e) {
        break;
      }
    }
    if (delivered == pending.size()) {
      spool.acknowledge(delivered);
      published.increment(delivered);
      backoffMillis = MIN_BACKOFF_MILLIS;
      nextReplayMillis = 0;
    } else {
      if (delivered > 0) {
        spool.acknowledge(delivered);
        published.increment(delivered);
      }
      nextReplayMillis = System.currentTimeMillis() + backoffMillis;
      backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
    }
    spoolSize = spool.size();
    spoolBytes = spool.bytes();
  }

  private @Nullable SpooledRecord encode(UsageEvent event) {
    try {
      return new SpooledRecord(event.requestId(), json.write(event));
    } catch (RuntimeException e) {
      failed.increment();
      LOG.error("usage event of requestId={} does not encode: {}", event.requestId(), e.getMessage());
      return null;
    }
  }

  /**
   * Stops: what is in memory goes to Kafka when it answers, else to the spool; the producer is closed within
   * {@code timeout}; what it could not deliver goes to the spool too, so a persistent spool loses nothing.
   */
  public void close(Duration timeout) {
    Thread t;
    synchronized (this) {
      t = thread;
      running = false;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (t != null && !stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("usage publisher did not stop within {}", timeout);
        t.interrupt();
      }
      takeBounced();
      UsageEvent event;
      while ((event = queue.poll()) != null) {
        if (degraded) {
          toSpool(event);
        } else {
          sendDirect(event);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      long left = Math.max(0, deadline - System.nanoTime());
      try {
        producer.close(degraded ? Duration.ZERO : Duration.ofNanos(left));
      } catch (RuntimeException e) {
        LOG.warn("usage producer close failed: {}", e.getMessage());
      }
      takeBounced();
      spoolSize = spool.size();
      if (!spool.isEmpty()) {
        if (spool.persistent()) {
          LOG.info("{} usage event(s) kept in the spool for the next start", spool.size());
        } else {
          LOG.warn("{} usage event(s) not delivered and lost at shutdown (no TOLLWAY_STATE_DIR to keep them)", spool.size());
        }
      }
      spool.close();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
