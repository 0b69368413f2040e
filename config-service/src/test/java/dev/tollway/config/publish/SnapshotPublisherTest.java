package dev.tollway.config.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollway.config.MockKafka;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.Listener;
import dev.tollway.schemas.snapshot.RouteEntry;
import dev.tollway.schemas.snapshot.RouteMatch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class SnapshotPublisherTest {

  private static final String TOPIC = "tollway.config.v1";
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final MockProducer<String, byte[]> producer = newProducer();

  private static MockProducer<String, byte[]> newProducer() {
    return new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  }

  private static GatewaySnapshot snapshot(String gateway, String... paths) {
    List<RouteEntry> routes = java.util.Arrays.stream(paths)
        .map(p -> new RouteEntry("default/r", 0, List.of("http"), List.of(),
            new RouteMatch(new RouteMatch.PathMatch(RouteMatch.PathMatch.Type.PathPrefix, p), List.of(), List.of(),
                null), List.of(), List.of(), null))
        .toList();
    return GatewaySnapshot.of(gateway, "agentgateway", List.of(new Listener("http", "HTTP", 80, null, null)),
        routes, Map.of());
  }

  private static SortedMap<String, GatewaySnapshot> snapshots(GatewaySnapshot... snapshots) {
    SortedMap<String, GatewaySnapshot> map = new TreeMap<>();
    for (GatewaySnapshot s : snapshots) {
      map.put(s.gateway(), s);
    }
    return map;
  }

  /** A consumer whose topic holds {@code records}, as a restarted service would find it. */
  private static MockConsumer<String, byte[]> topicWith(List<ProducerRecord<String, byte[]>> records) {
    return MockKafka.consumerOf(Map.of(TOPIC, records));
  }

  @Test
  void shouldPublishNewSnapshotsKeyedByGatewayAsJson() {
    // Given
    SnapshotPublisher publisher = new SnapshotPublisher(producer, TIMEOUT);
    publisher.learn(topicWith(List.of())); // a topic that holds nothing yet
    GatewaySnapshot a = snapshot("default/a", "/x");

    // When
    PublishResult result = publisher.publish(snapshots(a));

    // Then
    assertThat(result.published()).containsExactly("default/a");
    assertThat(producer.history()).singleElement().satisfies(r -> {
      assertThat(r.topic()).isEqualTo(TOPIC);
      assertThat(r.key()).isEqualTo("default/a");
      assertThat(Json.fromBytes(r.value(), GatewaySnapshot.class)).isEqualTo(a);
    });
  }

  @Test
  void shouldNotRepublishAnUnchangedSnapshotButRepublishAChangedOne() {
    // Given
    SnapshotPublisher publisher = new SnapshotPublisher(producer, TIMEOUT);
    publisher.learn(topicWith(List.of())); // a topic that holds nothing yet
    publisher.publish(snapshots(snapshot("default/a", "/x"), snapshot("default/b", "/y")));
    producer.clear();

    // When
    PublishResult unchanged = publisher.publish(snapshots(snapshot("default/a", "/x"), snapshot("default/b", "/y")));
    PublishResult changed = publisher.publish(snapshots(snapshot("default/a", "/x"), snapshot("default/b", "/z")));

    // Then
    assertThat(unchanged.published()).isEmpty();
    assertThat(unchanged.unchanged()).isEqualTo(2);
    assertThat(changed.published()).containsExactly("default/b");
    assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("default/b");
  }

  @Test
  void shouldTombstoneAGatewayThatDisappeared() {
    // Given
    SnapshotPublisher publisher = new SnapshotPublisher(producer, TIMEOUT);
    publisher.learn(topicWith(List.of())); // a topic that holds nothing yet
    publisher.publish(snapshots(snapshot("default/a", "/x"), snapshot("default/b", "/y")));
    producer.clear();

    // When
    PublishResult result = publisher.publish(snapshots(snapshot("default/a", "/x")));

    // Then
    assertThat(result.tombstoned()).containsExactly("default/b");
    assertThat(producer.history()).singleElement().satisfies(r -> {
      assertThat(r.key()).isEqualTo("default/b");
      assertThat(r.value()).isNull();
    });
    assertThat(publisher.published()).containsExactly("default/a");
  }

  @Test
  void shouldLearnTheTopicAtStartSoARestartRepublishesNothingUnchangedAndTombstonesWhatWentAway() {
    // Given a first run that published a, b and c, then deleted c
    SnapshotPublisher first = new SnapshotPublisher(producer, TIMEOUT);
    first.learn(topicWith(List.of())); // a topic that holds nothing yet
    first.publish(snapshots(snapshot("default/a", "/x"), snapshot("default/b", "/y"), snapshot("default/c", "/w")));
    first.publish(snapshots(snapshot("default/a", "/x"), snapshot("default/b", "/y")));
    MockProducer<String, byte[]> restartedProducer = newProducer();
    SnapshotPublisher restarted = new SnapshotPublisher(restartedProducer, TIMEOUT);

    // When the restarted publisher reads the topic, and b was deleted while it was down
    int known = restarted.learn(topicWith(producer.history()));
    PublishResult result = restarted.publish(snapshots(snapshot("default/a", "/x")));

    // Then
    assertThat(known).isEqualTo(2);
    assertThat(result.published()).isEmpty();
    assertThat(result.unchanged()).isEqualTo(1);
    assertThat(result.tombstoned()).containsExactly("default/b");
    assertThat(restartedProducer.history()).singleElement().satisfies(r -> assertThat(r.value()).isNull());
  }

  @Test
  void shouldReportAFailedWriteAndRetryItAtTheNextPublish() {
    // Given a broker that does not answer
    SnapshotPublisher publisher = new SnapshotPublisher(producer, TIMEOUT);
    publisher.learn(topicWith(List.of())); // a topic that holds nothing yet
    producer.sendException = new TimeoutException("broker unreachable");

    // When
    PublishResult failed = publisher.publish(snapshots(snapshot("default/a", "/x")));
    producer.sendException = null;
    PublishResult retried = publisher.publish(snapshots(snapshot("default/a", "/x")));

    // Then
    assertThat(failed.ok()).isFalse();
    assertThat(failed.failed()).containsEntry("default/a", "TimeoutException: broker unreachable");
    assertThat(failed.published()).isEmpty();
    assertThat(retried.ok()).isTrue();
    assertThat(retried.published()).containsExactly("default/a");
  }

  @Test
  void shouldRefuseToStartWhenTheTopicDoesNotExist() {
    // Given
    SnapshotPublisher publisher = new SnapshotPublisher(producer, TIMEOUT);

    // When / Then
    assertThatThrownBy(() -> publisher.learn(new MockConsumer<>("earliest")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("topic tollway.config.v1 does not exist");
  }
}
