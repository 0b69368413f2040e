package dev.tollway.config.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostnamesAndDurationsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      -                | -                         | any
      -                | a.example.com             | a.example.com
      *.example.com    | -                         | *.example.com
      a.example.com    | a.example.com             | a.example.com
      *.example.com    | a.b.example.com           | a.b.example.com
      *.example.com    | example.com               | none
      a.example.com    | *.example.com             | a.example.com
      *.example.com    | *.a.example.com           | *.a.example.com
      *.a.example.com  | *.example.com             | *.a.example.com
      a.example.com    | b.example.com             | none
      """)
  void shouldIntersectListenerAndRouteHostnames(String listener, String route, String expected) {
    // When
    Optional<List<String>> result = Hostnames.intersect(listener, route == null ? List.of() : List.of(route));

    // Then
    switch (expected) {
      case "none" -> assertThat(result).isEmpty();
      case "any" -> assertThat(result).contains(List.of());
      default -> assertThat(result).contains(List.of(expected));
    }
  }

  @ParameterizedTest
  @CsvSource({"10s,10000", "500ms,500", "1h30m,5400000", "1m1s1ms,61001", "0s,0"})
  void shouldParseGatewayApiDurations(String value, long millis) {
    assertThat(GatewayDurations.toMillis(value)).isEqualTo(millis);
  }

  @ParameterizedTest
  @CsvSource({"10", "1.5s", "10 s", "1d", "-1s", "123456s"})
  void shouldRejectMalformedDurations(String value) {
    assertThatThrownBy(() -> GatewayDurations.toMillis(value))
        .hasMessage("\"" + value + "\" (expected: a Gateway API duration such as 10s, 500ms or 1h30m)");
  }
}
