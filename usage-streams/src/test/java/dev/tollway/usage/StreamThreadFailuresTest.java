package dev.tollway.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailuresTest {

  private final List<Duration> pauses = new ArrayList<>();
  private final StreamThreadFailures failures = new StreamThreadFailures(pauses::add);

  @Test
  void shouldReplaceAThreadThatFoundTheSourceTopicsMissingAfterAPause() {
    // Given a stream thread failed because a rebalance found the source topics missing

    // When it is handled
    StreamThreadExceptionResponse response = failures.handle(missingTopics());

    // Then a new thread replaces it, after the pause
    assertThat(response).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(pauses).containsExactly(StreamThreadFailures.PAUSE);
  }

  @Test
  void shouldFindMissingSourceTopicsAsTheCauseOfAnotherException() {
    // Given the missing topics wrapped in a StreamsException
    StreamsException wrapped = new StreamsException("task failed", missingTopics());

    // When it is handled, Then the thread is replaced
    assertThat(failures.handle(wrapped)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
  }

  @Test
  void shouldShutDownOnAnyOtherFailureWithoutPausing() {
    // Given a failure that is not about missing topics (a bug)
    RuntimeException bug = new IllegalStateException("boom", new StreamsException("inner"));

    // When it is handled, Then the client shuts down (healthz 503, the orchestrator restarts the service)
    assertThat(failures.handle(bug)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(pauses).isEmpty();
  }

  @Test
  void shouldShutDownWhenTheTopicsStayMissing() {
    // Given as many replacements in a row as allowed
    assertThat(failAsOftenAsAllowed())
        .hasSize(StreamThreadFailures.MAX_IN_A_ROW)
        .containsOnly(StreamThreadExceptionResponse.REPLACE_THREAD);

    // When the next thread fails the same way, Then the client shuts down
    assertThat(failures.handle(missingTopics())).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
  }

  @Test
  void shouldStartCountingAgainOnceRunning() {
    // Given all the replacements in a row used up, and then Kafka Streams running again
    failAsOftenAsAllowed();
    failures.stateChanged(KafkaStreams.State.REBALANCING);
    failures.stateChanged(KafkaStreams.State.RUNNING);

    // When the topics go missing again (the next broker restart), Then threads are replaced again
    assertThat(failures.handle(missingTopics())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
  }

  @Test
  void shouldNotCountStatesOtherThanRunningAsRecovery() {
    // Given all the replacements used up, with Kafka Streams only rebalancing in between
    failAsOftenAsAllowed(KafkaStreams.State.REBALANCING);

    // When one more thread fails the same way, Then the client shuts down
    assertThat(failures.handle(missingTopics())).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
  }

  /**
   * As many threads failing on missing topics as are replaced in a row, Kafka Streams reporting {@code states}
   * after each; the responses.
   */
  private List<StreamThreadExceptionResponse> failAsOftenAsAllowed(KafkaStreams.State... states) {
    List<StreamThreadExceptionResponse> responses = new ArrayList<>();
    for (int i = 0; i < StreamThreadFailures.MAX_IN_A_ROW; i++) {
      responses.add(failures.handle(missingTopics()));
      for (KafkaStreams.State state : states) {
        failures.stateChanged(state);
      }
    }
    return responses;
  }

  private static MissingSourceTopicException missingTopics() {
    return new MissingSourceTopicException("One or more source topics were missing during rebalance");
  }
}
