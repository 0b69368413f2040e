package dev.tollway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollway.e2e.support.KafkaFixture;
import dev.tollway.e2e.support.TollwayStack;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** config-service stopping has no effect on traffic: the proxies serve the snapshot they have. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlPlaneDownIT {

  private static final String BODY = "{\"messages\": [{\"role\": \"user\", \"content\": \"What is Kubernetes?\"}]}";

  @RegisterExtension
  static final KafkaFixture KAFKA = new KafkaFixture();

  private TollwayStack tollway;

  @BeforeAll
  void start() {
    tollway = TollwayStack.start(KAFKA);
  }

  @AfterAll
  void stop() {
    if (tollway != null) {
      tollway.close();
    }
  }

  @Test
  void shouldKeepServingWhenConfigServiceStops() {
    // Given the tutorial's catch-all route serving
    tollway.apply("tutorial/01-gateway.yaml");
    tollway.apply("tutorial/gemini-secret.yaml");
    tollway.apply("tutorial/llm/gemini/02-backend-gemini.yaml");
    tollway.apply("tutorial/llm/03-httproute.yaml");
    await().atMost(Duration.ofSeconds(60)).until(() -> tollway.post("/v1/chat/completions", BODY).statusCode() == 200);

    // When config-service stops
    tollway.stack().configService().close();

    // Then requests keep being answered, and the proxy stays ready
    for (int i = 0; i < 20; i++) {
      assertThat(tollway.post("/v1/chat/completions", BODY).statusCode()).isEqualTo(200);
    }
    assertThat(tollway.stack().edgeProxy().isReady()).isTrue();
  }
}
