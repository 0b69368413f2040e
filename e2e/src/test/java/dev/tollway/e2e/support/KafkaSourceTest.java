package dev.tollway.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class KafkaSourceTest {

  private static final BooleanSupplier DOCKER = () -> true;
  private static final BooleanSupplier NO_DOCKER = () -> false;
  private static final BooleanSupplier MUST_NOT_ASK = () -> {
    throw new AssertionError("Docker must not be probed");
  };

  @Test
  void shouldUseAnExternalBrokerWhenABootstrapAddressIsGiven() {
    assertThat(KafkaSource.choose(props("kafka.bootstrap", "10.0.0.1:9092"), MUST_NOT_ASK))
        .isEqualTo(KafkaSource.EXTERNAL);
  }

  @Test
  void shouldUseTestcontainersWhenDockerIsReachable() {
    assertThat(KafkaSource.choose(new Properties(), DOCKER)).isEqualTo(KafkaSource.TESTCONTAINERS);
  }

  @Test
  void shouldFallBackToTheEmbeddedBrokerWithoutDocker() {
    assertThat(KafkaSource.choose(new Properties(), NO_DOCKER)).isEqualTo(KafkaSource.EMBEDDED);
    assertThat(KafkaSource.choose(props("kafka.bootstrap", "  "), NO_DOCKER)).isEqualTo(KafkaSource.EMBEDDED);
  }

  @Test
  void shouldHonourAForcedSource() {
    assertThat(KafkaSource.choose(props("kafka.fixture", "embedded"), MUST_NOT_ASK)).isEqualTo(KafkaSource.EMBEDDED);
    assertThat(KafkaSource.choose(props("kafka.fixture", "DOCKER"), DOCKER)).isEqualTo(KafkaSource.TESTCONTAINERS);
    Properties external = props("kafka.fixture", "external");
    external.setProperty("kafka.bootstrap", "broker:9092");
    assertThat(KafkaSource.choose(external, MUST_NOT_ASK)).isEqualTo(KafkaSource.EXTERNAL);
  }

  @Test
  void shouldExplainAForcedSourceThatCannotBeHad() {
    assertThatThrownBy(() -> KafkaSource.choose(props("kafka.fixture", "docker"), NO_DOCKER))
        .hasMessage("kafka.fixture=docker: no Docker engine is reachable (expected: a running Docker engine, or "
            + "kafka.fixture=embedded)");
    assertThatThrownBy(() -> KafkaSource.choose(props("kafka.fixture", "external"), MUST_NOT_ASK))
        .hasMessage("kafka.fixture=external needs kafka.bootstrap (expected: -Dkafka.bootstrap=host:port)");
    assertThatThrownBy(() -> KafkaSource.choose(props("kafka.fixture", "zookeeper"), MUST_NOT_ASK))
        .hasMessage("kafka.fixture: zookeeper (expected: auto, external, docker or embedded)");
  }

  private static Properties props(String name, String value) {
    Properties properties = new Properties();
    properties.setProperty(name, value);
    return properties;
  }
}
