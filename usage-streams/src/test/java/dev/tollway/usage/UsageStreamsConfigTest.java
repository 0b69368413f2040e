package dev.tollway.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsageStreamsConfigTest {

  @Test
  void shouldApplyDefaultsWhenOnlyTheBootstrapIsGiven() {
    // When
    UsageStreamsConfig config = UsageStreamsConfig.fromEnv(Map.of("TOLLWAY_KAFKA_BOOTSTRAP", "kafka:9092"));

    // Then
    assertThat(config.kafkaBootstrap()).isEqualTo("kafka:9092");
    assertThat(config.applicationId()).isEqualTo("tollway-usage-streams");
    assertThat(config.stateDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "kafka-streams"));
    assertThat(config.httpHost()).isEqualTo("0.0.0.0");
    assertThat(config.httpPort()).isEqualTo(8090);
    assertThat(config.retention()).isEqualTo(Duration.ofDays(7));
    assertThat(config.grace()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.commitInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(config.timeZone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(config.spendRetention()).isEqualTo(Duration.ofDays(400));
    assertThat(config.quotaCheckInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.preAggregation()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void shouldReadEveryKey() {
    // Given
    Map<String, String> env =
        Map.ofEntries(
            Map.entry("TOLLWAY_KAFKA_BOOTSTRAP", "a:9092,b:9092"),
            Map.entry("TOLLWAY_USAGE_APPLICATION_ID", "usage-test"),
            Map.entry("TOLLWAY_USAGE_STATE_DIR", "/var/lib/usage"),
            Map.entry("TOLLWAY_USAGE_HTTP_HOST", "127.0.0.1"),
            Map.entry("TOLLWAY_USAGE_HTTP_PORT", "0"),
            Map.entry("TOLLWAY_USAGE_RETENTION", "P2D"),
            Map.entry("TOLLWAY_USAGE_GRACE", "30s"),
            Map.entry("TOLLWAY_USAGE_COMMIT_INTERVAL", "250ms"),
            Map.entry("TOLLWAY_USAGE_TIME_ZONE", "Europe/Paris"),
            Map.entry("TOLLWAY_USAGE_SPEND_RETENTION", "90d"),
            Map.entry("TOLLWAY_USAGE_QUOTA_CHECK_INTERVAL", "2s"),
            Map.entry("TOLLWAY_USAGE_PRE_AGGREGATION", "250ms"),
            Map.entry("TOLLWAY_USAGE_STREAM_THREADS", "2"));

    // When
    UsageStreamsConfig config = UsageStreamsConfig.fromEnv(env);

    // Then
    assertThat(config)
        .isEqualTo(
            new UsageStreamsConfig(
                "a:9092,b:9092",
                "usage-test",
                Path.of("/var/lib/usage"),
                "127.0.0.1",
                0,
                Duration.ofDays(2),
                Duration.ofSeconds(30),
                Duration.ofMillis(250),
                ZoneId.of("Europe/Paris"),
                Duration.ofDays(90),
                Duration.ofSeconds(2),
                Duration.ofMillis(250),
                2,
                new TreeMap<>()));
  }

  @Test
  void shouldPassOtherKafkaKeysThroughAsClientPropertiesAndRedactSecretsWhenPrinted() {
    // Given
    Map<String, String> env =
        env(
            "TOLLWAY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "TOLLWAY_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
            "TOLLWAY_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"u\" password=\"hunter2\";",
            "TOLLWAY_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/tollway/kafka-ca/ca.crt",
            "TOLLWAY_KAFKA_SSL_TRUSTSTORE_TYPE", " ");

    // When
    UsageStreamsConfig config = UsageStreamsConfig.fromEnv(env);

    // Then blank values are left out, the bootstrap is not a property, names are lower case with dots
    assertThat(config.kafkaProperties())
        .containsOnlyKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config", "ssl.truststore.location")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("ssl.truststore.location", "/etc/tollway/kafka-ca/ca.crt");
    assertThat(config.toString())
        .contains("bootstrapServers=kafka:9092", "security.protocol=SASL_SSL", "sasl.jaas.config=<redacted>")
        .doesNotContain("hunter2");
  }

  @ParameterizedTest
  @CsvSource({
    "500ms, PT0.5S",
    "45s, PT45S",
    "10m, PT10M",
    "2h, PT2H",
    "7d, PT168H",
    "PT1H30M, PT1H30M"
  })
  void shouldAcceptShortAndIsoDurations(String written, String expected) {
    // When
    UsageStreamsConfig config = UsageStreamsConfig.fromEnv(env("TOLLWAY_USAGE_COMMIT_INTERVAL", written));

    // Then
    assertThat(config.commitInterval()).isEqualTo(Duration.parse(expected));
  }

  @Test
  void shouldRequireTheBootstrap() {
    assertThatThrownBy(() -> UsageStreamsConfig.fromEnv(Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TOLLWAY_KAFKA_BOOTSTRAP: missing (expected: host:port of one or more brokers)");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "TOLLWAY_USAGE_HTTP_PORT|http|TOLLWAY_USAGE_HTTP_PORT: 'http' (expected: a port from 0 to 65535)",
        "TOLLWAY_USAGE_HTTP_PORT|70000|TOLLWAY_USAGE_HTTP_PORT: 70000 (expected: a port from 0 to 65535)",
        "TOLLWAY_USAGE_RETENTION|-1|TOLLWAY_USAGE_RETENTION: '-1' (expected: a duration such as 30s, 5m, 7d or PT5M)",
        "TOLLWAY_USAGE_RETENTION|-PT1H|TOLLWAY_USAGE_RETENTION: PT-1H (expected: a positive duration)",
        "TOLLWAY_USAGE_RETENTION|3m|TOLLWAY_USAGE_RETENTION: PT3M (expected: at least one minute plus TOLLWAY_USAGE_GRACE, PT6M)",
        "TOLLWAY_USAGE_GRACE|-PT1S|TOLLWAY_USAGE_GRACE: PT-1S (expected: zero or a positive duration)",
        "TOLLWAY_USAGE_COMMIT_INTERVAL|0ms|TOLLWAY_USAGE_COMMIT_INTERVAL: PT0S (expected: a positive duration)",
        "TOLLWAY_USAGE_TIME_ZONE|Mars/Olympus|TOLLWAY_USAGE_TIME_ZONE: 'Mars/Olympus' (expected: a time zone such as UTC, Europe/Paris or +02:00)",
        "TOLLWAY_USAGE_SPEND_RETENTION|12h|TOLLWAY_USAGE_SPEND_RETENTION: PT12H (expected: at least a day plus TOLLWAY_USAGE_GRACE, PT24H5M)",
        "TOLLWAY_USAGE_QUOTA_CHECK_INTERVAL|0s|TOLLWAY_USAGE_QUOTA_CHECK_INTERVAL: PT0S (expected: a positive duration)",
        "TOLLWAY_USAGE_PRE_AGGREGATION|2s|TOLLWAY_USAGE_PRE_AGGREGATION: PT2S (expected: 0, to turn it off, up to PT1S)",
        "TOLLWAY_USAGE_STREAM_THREADS|0|TOLLWAY_USAGE_STREAM_THREADS: 0 (expected: from 1 to 64)",
        "TOLLWAY_USAGE_STREAM_THREADS|65|TOLLWAY_USAGE_STREAM_THREADS: 65 (expected: from 1 to 64)",
        "TOLLWAY_USAGE_STREAM_THREADS|two|TOLLWAY_USAGE_STREAM_THREADS: 'two' (expected: a whole number from 1 to 64)",
        "TOLLWAY_USAGE_APPLICATION_ID|usage streams|TOLLWAY_USAGE_APPLICATION_ID: 'usage streams' (expected: letters, digits, '.', '_' or '-')"
      })
  void shouldRejectAnInvalidValueNamingTheKey(String key, String value, String message) {
    assertThatThrownBy(() -> UsageStreamsConfig.fromEnv(env(key, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  private static Map<String, String> env(String... keysAndValues) {
    Map<String, String> env = new HashMap<>();
    env.put("TOLLWAY_KAFKA_BOOTSTRAP", "kafka:9092");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      env.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return env;
  }

  @Test
  void shouldPassTheSharedKafkaSettingsToKafkaStreams() {
    UsageStreamsConfig config = UsageStreamsConfig.fromEnv(Map.of(
        "TOLLWAY_KAFKA_BOOTSTRAP", "kafka:9093",
        "TOLLWAY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "TOLLWAY_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"));

    java.util.Properties properties =
        UsageStreams.streamsProperties(config, new dev.tollway.usage.topology.SkippedRecords());

    assertThat(properties).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("bootstrap.servers", "kafka:9093");
  }

  @Test
  void shouldRunAsManyStreamThreadsAsConfigured() {
    // Given
    UsageStreamsConfig one = UsageStreamsConfig.fromEnv(Map.of("TOLLWAY_KAFKA_BOOTSTRAP", "kafka:9092"));
    UsageStreamsConfig three = UsageStreamsConfig.fromEnv(
        Map.of("TOLLWAY_KAFKA_BOOTSTRAP", "kafka:9092", "TOLLWAY_USAGE_STREAM_THREADS", "3"));

    // When
    java.util.Properties defaults = UsageStreams.streamsProperties(one, new dev.tollway.usage.topology.SkippedRecords());
    java.util.Properties configured = UsageStreams.streamsProperties(three, new dev.tollway.usage.topology.SkippedRecords());

    // Then
    assertThat(defaults).containsEntry("num.stream.threads", 1);
    assertThat(configured).containsEntry("num.stream.threads", 3);
  }
}
