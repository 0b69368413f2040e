package dev.tollway.config.watch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class YamlDocumentsTest {

  @Test
  void shouldSplitOnSeparatorLinesAndDropEmptyDocuments() {
    // Given
    String text = "---\na: 1\n--- # second\nb: 2\n---\n# just a comment\n\n---\n--- c: 3\n...\nd: 4\n---";

    // When / Then
    assertThat(YamlDocuments.split(text)).containsExactly("a: 1\n", "b: 2\n", "c: 3\n", "d: 4\n");
  }

  @Test
  void shouldNotSplitOnDashesInsideValues() {
    // Given
    String text = "a: |\n  ---not a separator\n  ----\nb: '---'\n";

    // When / Then
    assertThat(YamlDocuments.split(text)).containsExactly(text);
  }
}
