package dev.tollway.config.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpecReaderTest {

  private final SpecReader spec = SpecReader.of("spec", Map.of(
      "name", "x",
      "port", 8080,
      "portText", "8081",
      "list", List.of(Map.of("a", 1), "oops"),
      "labels", Map.of("k", "v"),
      "nested", Map.of("deep", true)));

  @Test
  void shouldReadTypedValues() {
    assertThat(spec.requireString("name")).isEqualTo("x");
    assertThat(spec.integer("port", 1, 65535)).contains(8080);
    assertThat(spec.integer("portText", 1, 65535)).contains(8081);
    assertThat(spec.integer("absent", 1, 2)).isEmpty();
    assertThat(spec.stringMap("labels")).containsEntry("k", "v");
    assertThat(spec.object("nested")).get().extracting(SpecReader::path).isEqualTo("spec.nested");
  }

  @Test
  void shouldNameTheFullPathInEveryError() {
    assertThatThrownBy(() -> spec.requireString("port")).hasMessage("spec.port: 8080 (expected: a string)");
    assertThatThrownBy(() -> spec.integer("name", 1, 10))
        .hasMessage("spec.name: \"x\" (expected: an integer from 1 to 10)");
    assertThatThrownBy(() -> spec.integer("port", 1, 100))
        .hasMessage("spec.port: 8080 (expected: an integer from 1 to 100)");
    assertThatThrownBy(() -> spec.objects("list")).hasMessage("spec.list[1]: \"oops\" (expected: an object)");
    assertThatThrownBy(() -> spec.requireObject("missing")).hasMessage("spec.missing: missing");
    assertThatThrownBy(() -> spec.object("nested").orElseThrow().requireObject("deep"))
        .hasMessage("spec.nested.deep: true (expected: an object)");
  }

  @Test
  void shouldRequireExactlyOneOfAndRefuseUnsupportedFields() {
    assertThat(spec.exactlyOneOf(List.of("name", "other"))).isEqualTo("name");
    assertThatThrownBy(() -> spec.exactlyOneOf(List.of("name", "port")))
        .hasMessage("spec: expected exactly one of name, port (found: name, port)");
    assertThatThrownBy(() -> spec.requireOnly(Set.of("name", "port", "portText", "list", "labels")))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
          assertThat(e.unsupported()).isTrue();
          assertThat(e.path()).isEqualTo("spec.nested");
          assertThat(e).hasMessage("spec.nested: not supported by Tollway yet");
        });
  }

  @Test
  void shouldReadDecimalsExactlyFromStringsAndNumbers() {
    // Given the values a YAML parser hands over
    SpecReader prices = SpecReader.of("spec", Map.of(
        "text", " 2.70 ", "integer", 3, "fraction", 0.1, "big", new BigDecimal("0.000000001"),
        "words", "two", "exponent", "1e-6", "list", List.of()));

    // When / Then
    assertThat(prices.decimal("text")).contains(new BigDecimal("2.70"));
    assertThat(prices.decimal("integer")).contains(BigDecimal.valueOf(3));
    assertThat(prices.decimal("fraction")).contains(new BigDecimal("0.1"));
    assertThat(prices.decimal("big")).contains(new BigDecimal("0.000000001"));
    assertThat(prices.decimal("absent")).isEmpty();
    assertThatThrownBy(() -> prices.decimal("words"))
        .hasMessage("spec.words: \"two\" (expected: a decimal number such as \"2.50\")");
    assertThatThrownBy(() -> prices.decimal("exponent"))
        .hasMessage("spec.exponent: \"1e-6\" (expected: a decimal number such as \"2.50\")");
    assertThatThrownBy(() -> prices.decimal("list"))
        .hasMessage("spec.list: a list (expected: a decimal number such as \"2.50\")");
  }

  @Test
  void shouldRefuseUnknownFieldsOfTollwaysOwnResourcesAsInvalid() {
    assertThatThrownBy(() -> spec.requireKnown(Set.of("name", "port", "portText", "list", "labels")))
        .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
          assertThat(e.unsupported()).isFalse();
          assertThat(e).hasMessage("spec.nested: unknown field (expected: labels, list, name, port, portText)");
        });
  }
}
