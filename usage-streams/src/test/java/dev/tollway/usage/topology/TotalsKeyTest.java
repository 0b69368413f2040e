package dev.tollway.usage.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.schemas.budget.Budget;
import dev.tollway.usage.quota.Subject;
import dev.tollway.usage.quota.WindowSpec;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TotalsKeyTest {

  private static final WindowSpec MINUTE = new WindowSpec(Budget.Window.minute, ZoneId.of("UTC"));
  private static final WindowSpec DAY = new WindowSpec(Budget.Window.day, ZoneId.of("Europe/Paris"));

  @ParameterizedTest
  @ValueSource(longs = {0L, 7L, 1_764_201_600_000L, Long.MAX_VALUE, -86_400_000L})
  void shouldDecodeWhatItEncodes(long bucketStart) {
    // Given a key of a subject whose id holds the separator and the escape character
    TotalsKey key = new TotalsKey(new Subject(Budget.SubjectType.team, "pay|ments%"), DAY, bucketStart);

    // When
    String encoded = key.encode();

    // Then
    assertThat(TotalsKey.decode(encoded)).contains(key);
    assertThat(encoded).startsWith(TotalsKey.prefix(key.subject(), DAY));
  }

  @Test
  void shouldWriteTheBucketStartInNineteenDigitsSoThatKeysSortInTimeOrder() {
    // Given buckets of one subject and shape, of every number of digits
    Subject subject = new Subject(Budget.SubjectType.apiKey, "k-1");
    List<String> keys = new ArrayList<>();
    for (long start = 1; start < 1_000_000_000_000_000_000L; start *= 10) {
      keys.add(new TotalsKey(subject, MINUTE, start).encode());
    }

    // Then
    assertThat(keys).isSorted();
    assertThat(keys.get(0)).isEqualTo(TotalsKey.prefix(subject, MINUTE) + "0000000000000000001");
    assertThat(keys).allSatisfy(k -> assertThat(k.length()).isEqualTo(TotalsKey.prefix(subject, MINUTE).length() + 19));
  }

  @Test
  void shouldNotDecodeOtherKeys() {
    assertThat(TotalsKey.decode("apiKey:k-1|minute@UTC")).isEmpty();
    assertThat(TotalsKey.decode("nobody:k-1|" + MINUTE.id() + "|0000000000000000001")).isEmpty();
    assertThat(TotalsKey.decode("apiKey:k-1|" + MINUTE.id() + "|soon")).isEmpty();
  }
}
