package dev.tollway.edge.usage;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.usage.UsageEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes usage events to {@code tollway.usage.v1}, keyed by request id, from one thread that drains a
 * bounded queue: a request only ever offers its event to the queue. When the queue is full the event is
 * dropped, counted, and a warning is logged at most once per interval.
 *
 * <p>The seam for a disk buffer (issue 6) is {@link #overflow(UsageEvent)}: today it drops.
 */
public final class KafkaUsagePublisher implements UsageSink, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaUsagePublisher.class);
  private static final Duration WARN_INTERVAL = Duration.ofSeconds(10);

  private final Producer<String, byte[]> producer;
  private final BlockingQueue<UsageEvent> queue;
  private final Clock clock;
  private final Counter published;
  private final Counter dropped;
  private final Counter failed;
  private final AtomicLong droppedSinceWarn = new AtomicLong();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Instant lastWarn = Instant.EPOCH;
  private volatile boolean running;
  private @org.jspecify.annotations.Nullable Thread thread;

  public KafkaUsagePublisher(Producer<String, byte[]> producer, int capacity, Clock clock, MeterRegistry meters) {
    this.producer = requireNonNull(producer, "producer");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: 1 or more)");
    }
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.clock = requireNonNull(clock, "clock");
    this.published = Counter.builder("tollway.usage.events").tag("outcome", "published").register(meters);
    this.dropped = Counter.builder("tollway.usage.events").tag("outcome", "dropped").register(meters);
    this.failed = Counter.builder("tollway.usage.events").tag("outcome", "failed").register(meters);
    Gauge.builder("tollway.usage.queue.depth", queue, BlockingQueue::size).register(meters);
  }

  /** An idempotent producer with {@code acks=all} and a small linger. */
  public static Producer<String, byte[]> kafkaProducer(String bootstrap) {
    return kafkaProducer(bootstrap, java.util.Map.of());
  }

  /** An idempotent producer with {@code acks=all} and a small linger, with further client properties (TLS, SASL). */
  public static Producer<String, byte[]> kafkaProducer(String bootstrap, java.util.Map<String, String> clientProperties) {
    return new KafkaProducer<>(producerProperties(bootstrap, clientProperties), new StringSerializer(),
        new ByteArraySerializer());
  }

  /** The producer's properties: the given client properties, then this producer's own settings over them. */
  public static Properties producerProperties(String bootstrap, java.util.Map<String, String> clientProperties) {
    requireNonNull(clientProperties, "clientProperties");
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, requireNonNull(bootstrap, "bootstrap"));
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "tollway-edge-usage");
    return props;
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

  /** What happens to an event that does not fit in the queue: dropped and counted. */
  private void overflow(UsageEvent event) {
    dropped.increment();
    long count = droppedSinceWarn.incrementAndGet();
    Instant now = clock.instant();
    if (Duration.between(lastWarn, now).compareTo(WARN_INTERVAL) >= 0) {
      lastWarn = now;
      droppedSinceWarn.set(0);
      LOG.warn("usage queue full: {} usage event(s) dropped (last requestId={})", count, event.requestId());
    }
  }

  /** Events waiting to be published. */
  public int queued() {
    return queue.size();
  }

  private void run() {
    try {
      while (running || !queue.isEmpty()) {
        UsageEvent event = queue.poll(200, TimeUnit.MILLISECONDS);
        if (event != null) {
          publish(event);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopped.countDown();
    }
  }

  private void publish(UsageEvent event) {
    byte[] value;
    try {
      value = Topics.USAGE.serde().serialize(Topics.USAGE.name(), event);
    } catch (RuntimeException e) {
      failed.increment();
      LOG.error("usage event of requestId={} does not encode: {}", event.requestId(), e.getMessage());
      return;
    }
    try {
      producer.send(
          new ProducerRecord<>(Topics.USAGE.name(), event.requestId(), value),
          (metadata, error) -> {
            if (error == null) {
              published.increment();
            } else {
              failed.increment();
              LOG.warn("usage event of requestId={} not published: {}", event.requestId(), error.getMessage());
            }
          });
    } catch (RuntimeException e) {
      failed.increment();
      LOG.warn("usage event of requestId={} not published: {}", event.requestId(), e.getMessage());
    }
  }

  /** Publishes what is queued, flushes the producer and closes it, waiting at most {@code timeout}. */
  public void close(Duration timeout) {
    Thread t;
    synchronized (this) {
      t = thread;
      running = false;
    }
    try {
      if (t != null && !stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("usage publisher did not drain within {}; {} event(s) left", timeout, queue.size());
        t.interrupt();
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("usage producer flush failed: {}", e.getMessage());
    } finally {
      try {
        producer.close(timeout);
      } catch (RuntimeException e) {
        LOG.warn("usage producer close failed: {}", e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
