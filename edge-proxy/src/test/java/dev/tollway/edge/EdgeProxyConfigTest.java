package dev.tollway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EdgeProxyConfigTest {

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>(Map.of("TOLLWAY_KAFKA_BOOTSTRAP", "localhost:9092"));
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void shouldApplyTheDefaults() {
    EdgeProxyConfig config = EdgeProxyConfig.fromEnv(env());

    assertThat(config.gateway()).isEqualTo("*");
    assertThat(config.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(config.adminPort()).isEqualTo(15021);
    assertThat(config.maxRequestBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(config.upstreamConnectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.upstreamTimeout()).isEqualTo(Duration.ofSeconds(300));
    assertThat(config.stateDir()).isNull();
    assertThat(config.localPortFor(80)).isEqualTo(80);
    assertThat(config.serves("any/gateway")).isTrue();
  }

  @Test
  void shouldReadEveryKey(@TempDir Path dir) throws Exception {
    Path keyFile = dir.resolve("key");
    Files.writeString(keyFile, "c2VjcmV0\n");

    EdgeProxyConfig config = EdgeProxyConfig.fromEnv(env(
        "TOLLWAY_GATEWAY", "default/agentgateway", "TOLLWAY_BIND_ADDRESS", "127.0.0.1",
        "TOLLWAY_PORT_MAP", "80=8080, 443=0", "TOLLWAY_ADMIN_PORT", "0", "TOLLWAY_STATE_DIR", dir.toString(),
        "TOLLWAY_SNAPSHOT_KEY_FILE", keyFile.toString(), "TOLLWAY_MAX_REQUEST_BYTES", "2048",
        "TOLLWAY_UPSTREAM_CONNECT_TIMEOUT", "750ms", "TOLLWAY_UPSTREAM_TIMEOUT", "PT2M", "TOLLWAY_IO_THREADS", "3"));

    assertThat(config.serves("default/agentgateway")).isTrue();
    assertThat(config.serves("default/other")).isFalse();
    assertThat(config.localPortFor(80)).isEqualTo(8080);
    assertThat(config.localPortFor(443)).isZero();
    assertThat(config.stateDir()).isEqualTo(dir);
    assertThat(config.snapshotKeyValue()).hasValue("c2VjcmV0");
    assertThat(config.maxRequestBytes()).isEqualTo(2048);
    assertThat(config.upstreamConnectTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(config.upstreamTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.ioThreads()).isEqualTo(3);
    assertThat(config.toString()).contains("snapshotKey=<redacted>").doesNotContain("c2VjcmV0");
  }

  @Test
  void shouldPassOtherKafkaKeysToEveryKafkaClientAndRedactSecretsWhenPrinted() {
    // Given TLS and SASL settings, and an attempt to change the consumer's group behaviour through them
    EdgeProxyConfig config = EdgeProxyConfig.fromEnv(env(
        "TOLLWAY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "TOLLWAY_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
        "TOLLWAY_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"edge\" password=\"hunter2\";",
        "TOLLWAY_KAFKA_SSL_TRUSTSTORE_TYPE", "PEM",
        "TOLLWAY_KAFKA_ENABLE_AUTO_COMMIT", "true",
        "TOLLWAY_KAFKA_CLIENT_ID", " "));

    // When
    var consumer = dev.tollway.edge.snapshot.SnapshotConsumer.consumerProperties(config.kafkaBootstrap(), config.kafkaProperties());
    var producer = dev.tollway.edge.usage.KafkaUsagePublisher.producerProperties(config.kafkaBootstrap(), config.kafkaProperties());
    var quota = dev.tollway.edge.quota.QuotaConsumer.consumerProperties(config.kafkaBootstrap(), config.kafkaProperties());

    // Then
    assertThat(config.kafkaProperties()).containsOnlyKeys(
        "security.protocol", "sasl.mechanism", "sasl.jaas.config", "ssl.truststore.type", "enable.auto.commit");
    for (var properties : java.util.List.of(consumer, producer, quota)) {
      assertThat(properties)
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
          .containsEntry("ssl.truststore.type", "PEM")
          .containsEntry("bootstrap.servers", "localhost:9092");
    }
    assertThat(consumer).containsEntry("enable.auto.commit", "false");
    assertThat(quota).containsEntry("enable.auto.commit", "false");
    assertThat(producer).containsEntry("acks", "all").containsEntry("enable.idempotence", "true")
        .containsEntry("linger.ms", "25").containsEntry("batch.size", "131072")
        .containsEntry("compression.type", "lz4");
    assertThat(config.toString()).contains("sasl.jaas.config=<redacted>").doesNotContain("hunter2");
  }

  @Test
  void shouldCompressUsageBatchesWithTheCompressionTheSettingsName() {
    // Given settings that name zstd
    EdgeProxyConfig config = EdgeProxyConfig.fromEnv(env("TOLLWAY_KAFKA_COMPRESSION_TYPE", "zstd"));

    // When
    var producer =
        dev.tollway.edge.usage.KafkaUsagePublisher.producerProperties(config.kafkaBootstrap(), config.kafkaProperties());

    // Then it wins over the default, lz4
    assertThat(producer).containsEntry("compression.type", "zstd");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "TOLLWAY_UPSTREAM_TIMEOUT,         -1,          'TOLLWAY_UPSTREAM_TIMEOUT: -1 (expected: a positive duration'",
    "TOLLWAY_UPSTREAM_CONNECT_TIMEOUT, soon,        'TOLLWAY_UPSTREAM_CONNECT_TIMEOUT: soon (expected: a positive duration'",
    "TOLLWAY_PORT_MAP,                 80:8080,     'TOLLWAY_PORT_MAP: 80:8080 (expected: DECLARED=LOCAL'",
    "TOLLWAY_PORT_MAP,                 80=70000,    'TOLLWAY_PORT_MAP: 80=70000 (expected: DECLARED=LOCAL'",
    "TOLLWAY_ADMIN_PORT,               -5,          'TOLLWAY_ADMIN_PORT: -5 (expected: a port from 0 to 65535'",
    "TOLLWAY_GATEWAY,                  agentgateway, 'TOLLWAY_GATEWAY: agentgateway (expected: <namespace>/<name>'",
    "TOLLWAY_MAX_REQUEST_BYTES,        0,           'TOLLWAY_MAX_REQUEST_BYTES: 0 (expected: a positive whole number)'",
  })
  void shouldNameTheKeyAndWhatWasExpected(String key, String value, String message) {
    assertThatThrownBy(() -> EdgeProxyConfig.fromEnv(env(key, value)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
  }

  @Test
  void shouldRequireTheKafkaBootstrap() {
    assertThatThrownBy(() -> EdgeProxyConfig.fromEnv(Map.of()))
        .hasMessage("TOLLWAY_KAFKA_BOOTSTRAP: missing (expected: host:port[,host:port...])");
  }

  @Test
  void shouldReadTheResilienceAndSecuritySettingsWithTheirDefaults() {
    EdgeProxyConfig defaults = EdgeProxyConfig.fromEnv(env());
    Map<String, String> custom = env();
    custom.putAll(Map.of("TOLLWAY_USAGE_OVERFLOW", "fail-closed", "TOLLWAY_USAGE_SPOOL_MAX_BYTES", "1048576",
        "TOLLWAY_MAX_JSON_DEPTH", "16", "TOLLWAY_CLIENT_READ_TIMEOUT", "5s",
        "TOLLWAY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "TOLLWAY_KAFKA_SASL_JAAS_CONFIG", "secret-jaas"));
    EdgeProxyConfig config = EdgeProxyConfig.fromEnv(custom);

    assertThat(defaults.usageOverflow()).isEqualTo(dev.tollway.edge.usage.UsageOverflow.DROP);
    assertThat(defaults.usageSpoolMaxBytes()).isEqualTo(1L << 30);
    assertThat(defaults.maxHeaderBytes()).isEqualTo(65536);
    assertThat(defaults.maxJsonDepth()).isEqualTo(64);
    assertThat(defaults.clientIdleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.usageOverflow()).isEqualTo(dev.tollway.edge.usage.UsageOverflow.FAIL_CLOSED);
    assertThat(config.usageSpoolMaxBytes()).isEqualTo(1048576);
    assertThat(config.maxJsonDepth()).isEqualTo(16);
    assertThat(config.clientReadTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.kafka().clientConfig(Map.of())).containsEntry("security.protocol", "SASL_SSL");
    assertThat(config.toString()).contains("SASL_SSL").doesNotContain("secret-jaas");
  }

  @Test
  void shouldNameABadOverflowPolicyOrKafkaProperty() {
    Map<String, String> overflow = env();
    overflow.put("TOLLWAY_USAGE_OVERFLOW", "block");
    Map<String, String> kafka = env();
    kafka.put("TOLLWAY_KAFKA_KEY_SERIALIZER", "x");

    assertThatThrownBy(() -> EdgeProxyConfig.fromEnv(overflow))
        .hasMessage("TOLLWAY_USAGE_OVERFLOW: block (expected: drop or fail-closed)");
    assertThatThrownBy(() -> EdgeProxyConfig.fromEnv(kafka))
        .hasMessageStartingWith("TOLLWAY_KAFKA_KEY_SERIALIZER: set by Tollway itself");
  }
}
