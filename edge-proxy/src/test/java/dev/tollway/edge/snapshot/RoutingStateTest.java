package dev.tollway.edge.snapshot;

import static dev.tollway.edge.testing.TestSnapshots.GATEWAY;
import static dev.tollway.edge.testing.TestSnapshots.PROVIDER_KEY;
import static dev.tollway.edge.testing.TestSnapshots.aiBackend;
import static dev.tollway.edge.testing.TestSnapshots.catchAll;
import static dev.tollway.edge.testing.TestSnapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.edge.routing.ResolvedBackend;
import dev.tollway.edge.routing.RequestView;
import dev.tollway.edge.routing.RoutingTable;
import dev.tollway.edge.testing.TestProtocol;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.Provider.ProviderType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingStateTest {

  private final SnapshotCipher cipher = SnapshotCipher.generate();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  @TempDir Path dir;

  private RoutingState state(SnapshotCipher openWith) {
    return new RoutingState(GATEWAY::equals, new SnapshotBackendResolver(openWith, TestProtocol.lookup()),
        new SnapshotStore(dir), meters);
  }

  private GatewaySnapshot gemini(ProviderType type) {
    return snapshot(List.of(catchAll("default/llm-route", "default/gemini")),
        Map.of("default/gemini", aiBackend(cipher, "default/gemini", type, 9, "gemini-2.5-flash")));
  }

  private static ResolvedBackend backendOf(RoutingTable table) {
    return table.match(new RequestView(80, "POST", "localhost", "/v1/chat/completions", "", Map.of(), Map.of()))
        .orElseThrow().route().backends().get(0).backend();
  }

  private double counted(String outcome) {
    return meters.get("tollway.snapshot.records").tag("outcome", outcome).counter().count();
  }

  @Test
  void shouldCompileTheServedGatewaysSnapshotWithItsKeyOpenedAndKeepItOnDisk() throws Exception {
    RoutingState state = state(cipher);
    List<RoutingTable> swaps = new ArrayList<>();
    state.onChange(swaps::add);
    byte[] bytes = Json.toBytes(gemini(ProviderType.openai));

    state.apply(List.of(SnapshotRecord.of(GATEWAY, bytes), SnapshotRecord.of("other/gateway", bytes)));

    assertThat(state.hasSnapshot()).isTrue();
    assertThat(swaps).singleElement().satisfies(t -> assertThat(t.gatewayKeys()).containsExactly(GATEWAY));
    ResolvedBackend backend = backendOf(state.current());
    assertThat(backend).isInstanceOfSatisfying(ResolvedBackend.Ai.class,
        ai -> assertThat(ai.groups().get(0).get(0).credential()).isEqualTo(PROVIDER_KEY));
    assertThat(backend.toString()).doesNotContain(PROVIDER_KEY);
    assertThat(Files.readAllBytes(dir.resolve("snapshot-default%2Fagentgateway.json"))).isEqualTo(bytes);
    assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly("snapshot-default%2Fagentgateway.json");
  }

  @Test
  void shouldSkipARecordThatDoesNotDecodeAndKeepTheLastGoodSnapshot() {
    RoutingState state = state(cipher);
    state.apply(List.of(SnapshotRecord.of(GATEWAY, Json.toBytes(gemini(ProviderType.openai)))));
    RoutingTable before = state.current();

    state.apply(List.of(SnapshotRecord.of(GATEWAY, "not json".getBytes(StandardCharsets.UTF_8)),
        SnapshotRecord.of(GATEWAY, "{\"gateway\":\"default/agentgateway\"}".getBytes(StandardCharsets.UTF_8)),
        new SnapshotRecord(null, new byte[] {1})));

    assertThat(state.current()).isSameAs(before);
    assertThat(counted("rejected")).isEqualTo(3.0);
    assertThat(counted("applied")).isEqualTo(1.0);
  }

  @Test
  void shouldForgetAGatewayOnATombstoneAndDeleteItsFile() {
    RoutingState state = state(cipher);
    state.apply(List.of(SnapshotRecord.of(GATEWAY, Json.toBytes(gemini(ProviderType.openai)))));

    state.apply(List.of(SnapshotRecord.of(GATEWAY, null)));

    assertThat(state.hasSnapshot()).isFalse();
    assertThat(state.current().hasGateways()).isFalse();
    assertThat(dir.resolve("snapshot-default%2Fagentgateway.json")).doesNotExist();
  }

  @Test
  void shouldLoadTheKeptSnapshotOnANewStart() {
    state(cipher).apply(List.of(SnapshotRecord.of(GATEWAY, Json.toBytes(gemini(ProviderType.openai)))));

    RoutingState restarted = state(cipher);

    assertThat(restarted.loadFromDisk()).isEqualTo(1);
    assertThat(restarted.current().gatewayKeys()).containsExactly(GATEWAY);
  }

  @Test
  void shouldMakeABackendUnavailableWhenItsKeyDoesNotOpenOrItsProviderIsUnknown() {
    RoutingState otherKey = state(SnapshotCipher.generate());
    otherKey.apply(List.of(SnapshotRecord.of(GATEWAY, Json.toBytes(gemini(ProviderType.openai)))));
    RoutingState unknownType = state(cipher);
    unknownType.apply(List.of(SnapshotRecord.of(GATEWAY, Json.toBytes(gemini(ProviderType.bedrock)))));

    assertThat(backendOf(otherKey.current())).isInstanceOfSatisfying(ResolvedBackend.Unavailable.class,
        u -> assertThat(u.reason()).contains("does not open with this proxy's snapshot key"));
    assertThat(backendOf(unknownType.current())).isInstanceOfSatisfying(ResolvedBackend.Unavailable.class,
        u -> assertThat(u.reason()).contains("provider type bedrock is not supported"));
  }
}
