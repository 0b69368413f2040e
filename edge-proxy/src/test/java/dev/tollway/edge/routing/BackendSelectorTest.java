package dev.tollway.edge.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackendSelectorTest {

  private static ResolvedBackend backend(String name) {
    return new ResolvedBackend.Unavailable(name, "test");
  }

  @Test
  void shouldPickBackendsInProportionToTheirWeightsAndNeverAWeightOfZero() {
    List<WeightedBackend> backends = List.of(
        new WeightedBackend(backend("a"), 3), new WeightedBackend(backend("b"), 1), new WeightedBackend(backend("z"), 0));
    Random random = new Random(42);
    Map<String, Integer> counts = new HashMap<>();

    for (int i = 0; i < 8000; i++) {
      counts.merge(BackendSelector.select(backends, random).orElseThrow().name(), 1, Integer::sum);
    }

    assertThat(counts).doesNotContainKey("z");
    assertThat(counts.get("a")).isBetween(5700, 6300);
    assertThat(counts.get("b")).isBetween(1700, 2300);
  }

  @Test
  void shouldPickNothingWhenEveryWeightIsZero() {
    assertThat(BackendSelector.select(List.of(new WeightedBackend(backend("a"), 0)), new Random(1))).isEmpty();
    assertThat(BackendSelector.select(List.of(), new Random(1))).isEmpty();
  }
}
