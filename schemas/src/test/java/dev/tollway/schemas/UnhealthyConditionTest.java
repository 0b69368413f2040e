package dev.tollway.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollway.schemas.snapshot.HealthPolicy;
import dev.tollway.schemas.snapshot.UnhealthyCondition;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnhealthyConditionTest {

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "response.code >= 500; 503; true",
      "response.code >= 500; 429; false",
      "response.code >= 500 || response.code == 429; 429; true",
      "response.code >= 500 || response.code == 429; 404; false",
      "response.code >= 500 && response.code != 501; 501; false",
      "response.code >= 500 && response.code != 501; 502; true",
      "!(response.code < 500); 500; true",
      "500 <= response.code; 599; true",
      "response.code in [429, 503]; 503; true",
      "response.code in [429, 503]; 500; false",
      "true; 200; true",
      "false || response.code > 599; 600; true",
      "(response.code == 408 || (response.code >= 500 && response.code <= 504)); 408; true"})
  void shouldEvaluateTheDocumentedForms(String expression, int status, boolean failure) {
    assertThat(UnhealthyCondition.parse(expression).isFailure(status)).isEqualTo(failure);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "response.code >= 500 ||", "request.path == '/x'", "response.code >= \"500\"", "response.code = 500",
      "response.headers['x'] == 1", "(response.code > 1", "response.code > 9999999999", "size(response.body) > 1",
      "response.code >= 500 ; drop", ""})
  void shouldRefuseWhatItDoesNotUnderstandWithAMessage(String expression) {
    assertThatThrownBy(() -> UnhealthyCondition.parse(expression))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected");
  }

  @Test
  void shouldRefuseTooLongOrTooDeepExpressions() {
    assertThatThrownBy(() -> UnhealthyCondition.parse("true || ".repeat(200) + "true"))
        .hasMessageContaining("at most 1024");
    assertThatThrownBy(() -> UnhealthyCondition.parse("(".repeat(40) + "true" + ")".repeat(40)))
        .hasMessageContaining("nested deeper");
  }

  @Test
  void shouldDefaultTo5xxAnd429WhenThePolicySetsNoCondition() {
    UnhealthyCondition condition = UnhealthyCondition.of(new HealthPolicy(null, 3000, 1));

    assertThat(condition.isFailure(500)).isTrue();
    assertThat(condition.isFailure(429)).isTrue();
    assertThat(condition.isFailure(400)).isFalse();
    assertThat(condition.isFailure(200)).isFalse();
  }

  @Test
  void shouldNeverThrowAnythingButIllegalArgumentOnRandomInput() {
    Random random = new Random(20261126);
    String alphabet = "response.code()[]<>=!&|, 0123456789truefalsein\"'x";
    for (int i = 0; i < 5_000; i++) {
      StringBuilder s = new StringBuilder();
      int length = random.nextInt(60);
      for (int j = 0; j < length; j++) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      try {
        UnhealthyCondition.parse(s.toString()).isFailure(random.nextInt(600));
      } catch (IllegalArgumentException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }
}
