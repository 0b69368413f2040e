package dev.tollway.edge.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.provider.ProviderProtocols;
import dev.tollway.edge.routing.RoutingTable;
import dev.tollway.edge.snapshot.RoutingState;
import dev.tollway.edge.snapshot.SnapshotBackendResolver;
import dev.tollway.edge.snapshot.SnapshotRecord;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.serde.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seeded random damage to a real snapshot (the contract's example), applied as config records: the proxy never
 * throws, counts what it skips, and keeps serving its last good table.
 */
class SnapshotFuzzTest {

  @Test
  void shouldSkipEveryDamagedSnapshotAndKeepTheLastGoodTable() throws Exception {
    // Given a routing state holding the example snapshot
    byte[] good = Files.readAllBytes(Path.of("../schemas/examples/tollway.config.v1.json"));
    JsonNode example = Json.mapper().readTree(good);
    String key = example.path("gateway").asText();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    RoutingState state = new RoutingState(k -> true,
        new SnapshotBackendResolver(SnapshotCipher.generate(), ProviderProtocols.system()), null, meters);
    state.apply(List.of(SnapshotRecord.of(key, good)));
    RoutingTable before = state.current();
    assertThat(before.gatewayKeys()).containsExactly(key);
    Mutator mutator = new Mutator(20261126L);
    List<String> failures = new ArrayList<>();

    // When 2,000 damaged versions arrive, each followed by the good one again
    for (int i = 0; i < 2_000; i++) {
      byte[] bad = i % 3 == 0 ? mutator.damage(good) : Json.mapper().writeValueAsBytes(mutator.mutate(example));
      long started = System.nanoTime();
      try {
        state.apply(List.of(SnapshotRecord.of(key, bad), new SnapshotRecord(null, bad)));
      } catch (RuntimeException | StackOverflowError e) {
        failures.add("#" + i + " threw " + e);
      }
      if ((System.nanoTime() - started) / 1_000_000 > 2_000) {
        failures.add("#" + i + " took too long");
      }
      if (state.current() == null) {
        failures.add("#" + i + " left no table");
      }
      state.apply(List.of(SnapshotRecord.of(key, good)));
    }

    // Then nothing escaped, skipped records were counted, and the good snapshot still routes
    assertThat(failures).isEmpty();
    assertThat(meters.counter("tollway.snapshot.records", "outcome", "rejected").count()).isGreaterThan(2_000);
    assertThat(state.current().gatewayKeys()).containsExactly(key);
  }
}
