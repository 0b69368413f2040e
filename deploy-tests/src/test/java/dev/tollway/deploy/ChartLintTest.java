package dev.tollway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ChartLintTest {

  static Stream<Path> charts() {
    return Stream.of(Charts.CRDS, Charts.CONTROL_PLANE);
  }

  @ParameterizedTest
  @MethodSource("charts")
  void shouldLintCleanInStrictMode(Path chart) {
    // When
    LintResult result = Charts.lint(chart);

    // Then nothing but the advice to add an icon
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    assertThat(result.getMessages())
        .filteredOn(message -> !message.contains("icon is recommended"))
        .allSatisfy(message -> assertThat(message).doesNotContain("[WARNING]", "[ERROR]"));
  }
}
