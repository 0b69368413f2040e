package dev.tollway.config.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollway.config.MockKafka;
import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.budget.Budget.SubjectType;
import dev.tollway.schemas.budget.Budget.Unit;
import dev.tollway.schemas.budget.Budget.Window;
import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.price.TokenRates;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.topic.Topics;
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

/** Diff publishing to the price and budget topics, with Kafka's mock clients. */
class CompactedTopicPublisherTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final MockProducer<String, byte[]> producer = newProducer();

  private static MockProducer<String, byte[]> newProducer() {
    return new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  }

  private static ModelPrice price(String model, long input) {
    return new ModelPrice(1, "openai", model, new TokenRates(input, 4 * input, null, null, null), List.of(), "v1",
        "catalog");
  }

  private static SortedMap<String, ModelPrice> prices(ModelPrice... prices) {
    SortedMap<String, ModelPrice> map = new TreeMap<>();
    for (ModelPrice p : prices) {
      map.put(p.key(), p);
    }
    return map;
  }

  private static Budget budget(String name, long limit) {
    return new Budget(1, name, SubjectType.team, "payments", Window.day, "UTC", limit, Unit.nanoUsd);
  }

  /** A consumer of {@code topic} holding {@code records}, as a restarted service finds it. */
  private static MockConsumer<String, byte[]> topicWith(String topic, List<ProducerRecord<String, byte[]>> records) {
    return MockKafka.consumerOf(Map.of(topic, records));
  }

  private CompactedTopicPublisher<ModelPrice> learnedPricePublisher() {
    CompactedTopicPublisher<ModelPrice> publisher = new CompactedTopicPublisher<>(producer, Topics.PRICES, TIMEOUT);
    publisher.learn(topicWith(Topics.PRICES.name(), List.of()));
    return publisher;
  }

  @Test
  void shouldPublishEveryRecordOfAnEmptyTopicKeyedAsTheContractSays() {
    // Given
    CompactedTopicPublisher<ModelPrice> publisher = learnedPricePublisher();

    // When
    PublishResult result = publisher.publish(prices(price("gpt-4o", 2_500_000_000L), price("o3", 2_000_000_000L)));

    // Then
    assertThat(result.published()).containsExactly("openai/gpt-4o", "openai/o3");
    assertThat(producer.history()).hasSize(2).allSatisfy(r -> assertThat(r.topic()).isEqualTo("tollway.prices.v1"));
    assertThat(producer.history().get(0).key()).isEqualTo("openai/gpt-4o");
    assertThat(Json.fromBytes(producer.history().get(0).value(), ModelPrice.class))
        .isEqualTo(price("gpt-4o", 2_500_000_000L));
  }

  @Test
  void shouldWriteOnlyWhatChangedAndTombstoneWhatIsGone() {
    // Given three prices on the topic
    CompactedTopicPublisher<ModelPrice> publisher = learnedPricePublisher();
    publisher.publish(prices(price("a", 1), price("b", 2), price("c", 3)));
    producer.clear();

    // When b changes and c goes away
    PublishResult result = publisher.publish(prices(price("a", 1), price("b", 20)));

    // Then
    assertThat(result.unchanged()).isEqualTo(1);
    assertThat(result.published()).containsExactly("openai/b");
    assertThat(result.tombstoned()).containsExactly("openai/c");
    assertThat(producer.history()).extracting(ProducerRecord::key).containsExactly("openai/b", "openai/c");
    assertThat(producer.history().get(1).value()).isNull();
    assertThat(publisher.published()).containsExactly("openai/a", "openai/b");
  }

  @Test
  void shouldLearnTheTopicSoARestartRepublishesNothingUnchangedAndTombstonesWhatWentAwayMeanwhile() {
    // Given a first run that published two budgets, then removed one, then published another
    CompactedTopicPublisher<Budget> first = new CompactedTopicPublisher<>(producer, Topics.BUDGETS, TIMEOUT);
    first.learn(topicWith(Topics.BUDGETS.name(), List.of()));
    first.publish(new TreeMap<>(Map.of("default/a", budget("default/a", 1), "default/b", budget("default/b", 2))));
    first.publish(new TreeMap<>(Map.of("default/a", budget("default/a", 1))));
    first.publish(new TreeMap<>(Map.of("default/a", budget("default/a", 1), "default/c", budget("default/c", 3))));
    MockProducer<String, byte[]> restartedProducer = newProducer();
    CompactedTopicPublisher<Budget> restarted =
        new CompactedTopicPublisher<>(restartedProducer, Topics.BUDGETS, TIMEOUT);

    // When the restarted publisher reads the topic back, and c was deleted while it was down
    int known = restarted.learn(topicWith(Topics.BUDGETS.name(), producer.history()));
    PublishResult result = restarted.publish(new TreeMap<>(Map.of("default/a", budget("default/a", 1))));

    // Then
    assertThat(known).isEqualTo(2);
    assertThat(result.published()).isEmpty();
    assertThat(result.unchanged()).isEqualTo(1);
    assertThat(result.tombstoned()).containsExactly("default/c");
    assertThat(restartedProducer.history()).singleElement().satisfies(r -> {
      assertThat(r.topic()).isEqualTo("tollway.budgets.v1");
      assertThat(r.value()).isNull();
    });
  }

  @Test
  void shouldReportAFailedWriteAndRetryItAtTheNextPublish() {
    // Given a broker that does not acknowledge
    CompactedTopicPublisher<ModelPrice> publisher = learnedPricePublisher();
    producer.sendException = new TimeoutException("broker unreachable");

    // When
    PublishResult failed = publisher.publish(prices(price("a", 1)));

    // Then
    assertThat(failed.failed()).containsEntry("openai/a", "TimeoutException: broker unreachable");
    assertThat(publisher.published()).isEmpty();

    // When the broker is back
    producer.sendException = null;
    PublishResult retried = publisher.publish(prices(price("a", 1)));

    // Then
    assertThat(retried.published()).containsExactly("openai/a");
    assertThat(publisher.published()).containsExactly("openai/a");
  }

  @Test
  void shouldRefuseToPublishBeforeTheTopicIsReadAndToReadATopicThatDoesNotExist() {
    // Given
    CompactedTopicPublisher<ModelPrice> publisher = new CompactedTopicPublisher<>(producer, Topics.PRICES, TIMEOUT);

    // When / Then
    assertThatThrownBy(() -> publisher.publish(prices(price("a", 1))))
        .hasMessage("topic tollway.prices.v1 has not been read yet");
    assertThatThrownBy(() -> publisher.learn(new MockConsumer<>("earliest")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("topic tollway.prices.v1 does not exist");
    assertThat(publisher.learned()).isFalse();
    assertThatThrownBy(() -> new CompactedTopicPublisher<>(producer, Topics.USAGE, TIMEOUT))
        .hasMessage("topic tollway.usage.v1 is not compacted");
  }
}
