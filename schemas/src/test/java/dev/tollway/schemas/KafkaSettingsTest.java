package dev.tollway.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollway.schemas.kafka.KafkaSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

  @Test
  void shouldTurnTollwayKafkaKeysIntoClientProperties() {
    KafkaSettings settings = KafkaSettings.fromEnv(Map.of(
        "TOLLWAY_KAFKA_BOOTSTRAP", "kafka-0:9093,kafka-1:9093",
        "TOLLWAY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "TOLLWAY_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
        "TOLLWAY_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"edge\" password=\"hunter2\";",
        "TOLLWAY_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/ca.p12",
        "TOLLWAY_GATEWAY", "default/agentgateway"));

    Map<String, Object> producer = settings.clientConfig(Map.of("acks", "all", "client.id", "tollway-edge-usage"));

    assertThat(producer).containsEntry("bootstrap.servers", "kafka-0:9093,kafka-1:9093")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.location", "/etc/kafka/ca.p12")
        .containsEntry("acks", "all")
        .doesNotContainKey("gateway");
    assertThat(settings.toString()).contains("SASL_SSL").doesNotContain("hunter2").contains("<redacted>");
  }

  @Test
  void shouldLetTheSettingsReplaceAServiceDefaultButNotItsOwnProperties() {
    // Given settings that name a compression and an acks
    KafkaSettings settings = KafkaSettings.fromEnv(Map.of(
        "TOLLWAY_KAFKA_BOOTSTRAP", "kafka-0:9093",
        "TOLLWAY_KAFKA_COMPRESSION_TYPE", "zstd",
        "TOLLWAY_KAFKA_ACKS", "1"));

    // When a service names defaults for both and fixes acks
    Map<String, Object> producer = settings.clientConfig(
        Map.of("compression.type", "lz4", "linger.ms", "25", "acks", "0"), Map.of("acks", "all"));

    // Then the settings replace the defaults, and the service's own properties win over the settings
    assertThat(producer).containsEntry("compression.type", "zstd")
        .containsEntry("linger.ms", "25")
        .containsEntry("acks", "all")
        .containsEntry("bootstrap.servers", "kafka-0:9093");
  }

  @Test
  void shouldRefuseMalformedOrReservedNamesAndBadServers() {
    assertThatThrownBy(() -> KafkaSettings.fromEnv(Map.of()))
        .hasMessage("TOLLWAY_KAFKA_BOOTSTRAP: missing (expected: host:port[,host:port...])");
    assertThatThrownBy(() -> KafkaSettings.fromEnv(Map.of("TOLLWAY_KAFKA_BOOTSTRAP", "localhost")))
        .hasMessageContaining("TOLLWAY_KAFKA_BOOTSTRAP: \"localhost\"");
    assertThatThrownBy(() -> KafkaSettings.fromEnv(Map.of(
        "TOLLWAY_KAFKA_BOOTSTRAP", "k:9092", "TOLLWAY_KAFKA_SSL__KEY", "x")))
        .hasMessageStartingWith("TOLLWAY_KAFKA_SSL__KEY: ssl..key is not a Kafka property name");
    assertThatThrownBy(() -> KafkaSettings.fromEnv(Map.of(
        "TOLLWAY_KAFKA_BOOTSTRAP", "k:9092", "TOLLWAY_KAFKA_VALUE_SERIALIZER", "x")))
        .hasMessageContaining("set by Tollway itself");
  }
}
