package dev.tollway.edge.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollway.edge.trace.TraceContext;
import dev.tollway.edge.trace.Tracing;
import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.usage.UsageEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaUsagePublisherTest {

  private static final TraceContext TRACE =
      TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

  private static UsageEvent event(String requestId) {
    return new RequestUsage(requestId, Tracing.off().startRequest(TRACE, Instant.EPOCH),
        Instant.parse("2026-11-26T17:00:00Z"), "default/gw")
        .toEvent("event-" + requestId, Instant.parse("2026-11-26T17:00:01Z"), 200);
  }

  @Test
  void shouldPublishEachEventKeyedByRequestIdAndFlushOnClose() {
    MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    KafkaUsagePublisher publisher = new KafkaUsagePublisher(producer, 10, Clock.systemUTC(), meters);
    publisher.start();

    assertThat(publisher.submit(event("r1"))).isTrue();
    assertThat(publisher.submit(event("r2"))).isTrue();
    publisher.close(Duration.ofSeconds(5));

    assertThat(producer.history()).extracting(r -> r.topic() + "/" + r.key())
        .containsExactly("tollway.usage.v1/r1", "tollway.usage.v1/r2");
    assertThat(Topics.USAGE.serde().deserialize(Topics.USAGE.name(), producer.history().get(0).value()))
        .isEqualTo(event("r1"));
    assertThat(producer.flushed()).isTrue();
    assertThat(producer.closed()).isTrue();
    assertThat(meters.get("tollway.usage.events").tag("outcome", "published").counter().count()).isEqualTo(2.0);
  }

  @Test
  void shouldDropAndCountWhenTheQueueIsFullWithoutBlocking() {
    MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    // not started: nothing drains the queue of two
    KafkaUsagePublisher publisher = new KafkaUsagePublisher(producer, 2, Clock.systemUTC(), meters);

    boolean first = publisher.submit(event("r1"));
    boolean second = publisher.submit(event("r2"));
    boolean third = publisher.submit(event("r3"));

    assertThat(first).isTrue();
    assertThat(second).isTrue();
    assertThat(third).isFalse();
    assertThat(publisher.queued()).isEqualTo(2);
    assertThat(meters.get("tollway.usage.events").tag("outcome", "dropped").counter().count()).isEqualTo(1.0);

    // and what was queued is still delivered once the publisher runs
    publisher.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 2);
    publisher.close(Duration.ofSeconds(5));
  }
}
