package dev.tollway.edge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeaderMapViewTest {

  @Test
  void shouldGiveEveryValueOfAHeaderByItsLowerCaseNameHoweverTheClientSpelledIt() {
    // Given headers as a client sent them
    HeaderMap headers = new HeaderMap();
    headers.add(new HttpString("X-Team"), "blue");
    headers.add(new HttpString("x-TEAM"), "green");
    headers.add(new HttpString("Content-Type"), "application/json");

    // When routing reads them through the view
    Map<String, List<String>> view = new HeaderMapView(headers);

    // Then a lower-case name finds all values in order, an absent one nothing, and iteration lists lower-case names
    assertThat(view.get("x-team")).containsExactly("blue", "green");
    assertThat(view.containsKey("content-type")).isTrue();
    assertThat(view.get("x-absent")).isNull();
    assertThat(view.containsKey("x-absent")).isFalse();
    assertThat(view).containsOnly(
        Map.entry("x-team", List.of("blue", "green")), Map.entry("content-type", List.of("application/json")));
  }

  @Test
  void shouldNotLetRoutingChangeTheRequestsHeaders() {
    HeaderMap headers = new HeaderMap();
    headers.add(new HttpString("x-team"), "blue");
    Map<String, List<String>> view = new HeaderMapView(headers);

    assertThatThrownBy(() -> view.get("x-team").add("red")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> view.put("x-team", List.of())).isInstanceOf(UnsupportedOperationException.class);
    assertThat(headers.get("x-team")).containsExactly("blue");
  }
}
