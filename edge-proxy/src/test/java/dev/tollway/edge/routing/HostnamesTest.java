package dev.tollway.edge.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostnamesTest {

  @ParameterizedTest(name = "{0} vs {1} → {2}")
  @CsvSource({
    "api.example.com,   api.example.com,  true",
    "API.example.com,   api.example.com,  true",
    "api.example.com,   www.example.com,  false",
    "*.example.com,     a.example.com,    true",
    "*.example.com,     a.b.example.com,  true",
    "*.example.com,     example.com,      false",
    "*.example.com,     aexample.com,     false",
  })
  void shouldMatchExactNamesAndWildcards(String pattern, String host, boolean expected) {
    assertThat(Hostnames.matches(pattern, host)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "Host: {0} → {1}")
  @CsvSource({
    "localhost:8080,     localhost",
    "API.Example.com,    api.example.com",
    "example.com.,       example.com",
    "'[::1]:80',         '[::1]'",
    "127.0.0.1:80,       127.0.0.1",
  })
  void shouldIgnoreThePortOfTheHostHeader(String header, String expected) {
    assertThat(RequestView.hostWithoutPort(header)).isEqualTo(expected);
  }
}
