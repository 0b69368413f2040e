package dev.tollway.usage.cost;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MoneyTest {

  @ParameterizedTest
  @CsvSource({
    "0, 0.000000000",
    "5, 0.000000005",
    "10500000, 0.010500000",
    "1234500000, 1.234500000",
    "50000125000, 50.000125000",
    "9223372036854775807, 9223372036.854775807"
  })
  void shouldWriteNanoDollarsAsDollarsWithNineExactDecimals(long nanoUsd, String expected) {
    assertThat(Money.usd(nanoUsd)).isEqualTo(expected);
  }
}
