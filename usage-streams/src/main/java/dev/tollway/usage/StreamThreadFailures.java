package dev.tollway.usage;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What usage-streams does when a stream thread fails.
 *
 * <p>Source topics missing at a rebalance is what a broker answers for a moment after it restarts, before it
 * has loaded its topics; the thread is replaced after a pause of {@link #PAUSE}, up to {@value #MAX_IN_A_ROW}
 * times in a row (the count starts again whenever Kafka Streams reaches {@code RUNNING}), so a broker restart
 * does not stop the metering. Topics that stay missing, and any other failure, shut the client down:
 * {@code /healthz} turns 503 and the orchestrator restarts the service, which resumes from the last commit.
 */
final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailures.class);

  /** How many failed threads in a row are replaced while the source topics are missing. */
  static final int MAX_IN_A_ROW = 30;

  /** The pause before a replacement, on the failed thread: a new thread would otherwise fail at once again. */
  static final Duration PAUSE = Duration.ofSeconds(1);

  private final Consumer<Duration> pause;
  private final AtomicInteger inARow = new AtomicInteger();

  StreamThreadFailures() {
    this(StreamThreadFailures::sleep);
  }

  /** With the pause made by {@code pause} (tests pass one that does not sleep). */
  StreamThreadFailures(Consumer<Duration> pause) {
    this.pause = requireNonNull(pause, "pause");
  }

  @Override
  public StreamThreadExceptionResponse handle(Throwable failure) {
    if (!missingSourceTopics(failure)) {
      LOG.error("a stream thread failed; usage-streams stops and reports not live", failure);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    int count = inARow.incrementAndGet();
    if (count > MAX_IN_A_ROW) {
      LOG.error("the source topics are still missing after {} stream threads in a row; usage-streams stops and"
          + " reports not live", MAX_IN_A_ROW, failure);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    LOG.warn("source topics missing at a rebalance (a broker that has just restarted answers so until it has"
        + " loaded its topics): {}; replacing the stream thread in {} ms ({} of at most {} in a row)",
        failure.getMessage(), PAUSE.toMillis(), count, MAX_IN_A_ROW);
    pause.accept(PAUSE);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /** Kafka Streams' state listener calls this: once running again, the next missing topics start a new count. */
  void stateChanged(KafkaStreams.State now) {
    if (now == KafkaStreams.State.RUNNING) {
      inARow.set(0);
    }
  }

  private static boolean missingSourceTopics(Throwable failure) {
    Throwable cause = failure;
    for (int depth = 0; cause != null && depth < 10; depth++, cause = cause.getCause()) { // a cycle ends too
      if (cause instanceof MissingSourceTopicException) {
        return true;
      }
    }
    return false;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
