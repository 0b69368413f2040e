package dev.tollway.e2e;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollway.local.LocalOptions;
import dev.tollway.local.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./tollway local} hands the {@code TOLLWAY_USAGE_*} settings of its environment to usage-streams. */
class LocalUsageSettingsIT {

  @TempDir Path dir;

  @Test
  void shouldRefuseToStartOnABadUsageSettingNamingTheVariable() throws Exception {
    // Given a config folder and an environment whose usage-streams time zone does not exist
    Path config = Files.createDirectories(dir.resolve("config"));
    LocalOptions options = new LocalOptions(config, Map.of(80, 0), "127.0.0.1", 0, 0, dir.resolve("data"), null, null);
    Map<String, String> environment = Map.of("TOLLWAY_USAGE_TIME_ZONE", "Mars/Olympus");

    // When / Then: usage-streams read it, and the start stops with its message
    assertThatThrownBy(() -> LocalStack.start(options, environment, Clock.systemUTC(), cycle -> {}).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "TOLLWAY_USAGE_TIME_ZONE: 'Mars/Olympus' (expected: a time zone such as UTC, Europe/Paris or +02:00)");
  }
}
