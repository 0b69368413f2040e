package dev.tollway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigServiceConfigTest {

  @TempDir
  Path dir;

  private Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("TOLLWAY_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
    env.put("TOLLWAY_CONFIG_DIR", dir.toString());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void shouldApplyDefaults() {
    // When
    ConfigServiceConfig config = ConfigServiceConfig.fromEnv(env());

    // Then
    assertThat(config.gatewayClasses()).containsExactly("agentgateway", "tollway");
    assertThat(config.controllerName()).isEqualTo("tollway.dev/gateway-controller");
    assertThat(config.snapshotKey()).isNull();
    assertThat(config.snapshotCipher()).isEmpty();
    assertThat(config.producerProperties()).containsEntry("enable.idempotence", "true").containsEntry("acks", "all")
        .containsEntry("bootstrap.servers", "127.0.0.1:9092");
  }

  @Test
  void shouldReadTheKeyFromAFileAndPassKafkaSettingsThroughRedactingSecrets() throws IOException {
    // Given
    Path keyFile = Files.writeString(dir.resolve("key"), Manifests.KEY + "\n");

    // When
    ConfigServiceConfig config = ConfigServiceConfig.fromEnv(env(
        "TOLLWAY_SNAPSHOT_KEY_FILE", keyFile.toString(),
        "TOLLWAY_GATEWAY_CLASSES", " llm , tollway ,",
        "TOLLWAY_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "TOLLWAY_KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"u\" password=\"hunter2\";"));

    // Then
    assertThat(config.snapshotCipher()).get().extracting(c -> c.keyId()).isEqualTo(Manifests.cipher().keyId());
    assertThat(config.gatewayClasses()).containsExactly("llm", "tollway");
    assertThat(config.producerProperties()).containsEntry("security.protocol", "SASL_SSL")
        .containsKey("sasl.jaas.config");
    assertThat(config.toString()).contains("security.protocol=SASL_SSL", "sasl.jaas.config=<redacted>",
        "snapshotKey=<redacted>").doesNotContain("hunter2", Manifests.KEY);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      TOLLWAY_KAFKA_BOOTSTRAP   | ''            | TOLLWAY_KAFKA_BOOTSTRAP: missing (expected: host:port[,host:port...])
      TOLLWAY_KAFKA_BOOTSTRAP   | localhost     | TOLLWAY_KAFKA_BOOTSTRAP: "localhost" (expected: host:port[,host:port...])
      TOLLWAY_CONFIG_DIR        | /no/such/dir  | TOLLWAY_CONFIG_DIR: /no/such/dir (expected: an existing folder)
      TOLLWAY_SNAPSHOT_KEY      | c2hvcnQ=      | TOLLWAY_SNAPSHOT_KEY: not a valid key (expected: 32 random bytes, base64-encoded)
      TOLLWAY_SNAPSHOT_KEY_FILE | /no/key       | TOLLWAY_SNAPSHOT_KEY_FILE: /no/key cannot be read (expected: a file holding the base64 key)
      TOLLWAY_GATEWAY_CLASSES   | ' , '         | TOLLWAY_GATEWAY_CLASSES: "," (expected: a comma-separated list of GatewayClass names)
      TOLLWAY_CONTROLLER_NAME   | nope          | TOLLWAY_CONTROLLER_NAME: "nope" (expected: a domain-prefixed path such as example.com/controller)
      """)
  void shouldNameTheKeyAndWhatWasExpected(String key, String value, String message) {
    assertThatThrownBy(() -> ConfigServiceConfig.fromEnv(env(key, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void shouldRefuseBothKeySettings() {
    assertThatThrownBy(() -> ConfigServiceConfig.fromEnv(env("TOLLWAY_SNAPSHOT_KEY", Manifests.KEY,
        "TOLLWAY_SNAPSHOT_KEY_FILE", "/x")))
        .hasMessage("TOLLWAY_SNAPSHOT_KEY and TOLLWAY_SNAPSHOT_KEY_FILE: both set (expected: one of them)");
  }
}
