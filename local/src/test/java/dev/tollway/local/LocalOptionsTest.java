package dev.tollway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalOptionsTest {

  @TempDir
  Path dir;

  @Test
  void shouldReadTheClusterInsteadOfAFolderWithKubernetes() {
    // When
    LocalOptions options = LocalOptions.parse(List.of("--kubernetes", "--port-map", "80=8080"));

    // Then
    assertThat(options.kubernetes()).isTrue();
    assertThat(options.configDir()).isNull();
    assertThat(options.portMapSetting()).isEqualTo("80=8080");
  }

  @Test
  void shouldKeepTheFolderModeAsItWas() {
    LocalOptions options = LocalOptions.parse(List.of("--config", dir.toString()));
    assertThat(options.kubernetes()).isFalse();
    assertThat(options.configDir()).isEqualTo(dir.toAbsolutePath().normalize());
  }

  @Test
  void shouldRefuseBothSourcesOrNone() {
    assertThatThrownBy(() -> LocalOptions.parse(List.of("--config", dir.toString(), "--kubernetes")))
        .hasMessage("--config and --kubernetes: both given (expected: one of them)");
    assertThatThrownBy(() -> LocalOptions.parse(List.of()))
        .hasMessage("--config: required (expected: a folder of Kubernetes YAML, or --kubernetes for the current "
            + "cluster)");
  }
}
