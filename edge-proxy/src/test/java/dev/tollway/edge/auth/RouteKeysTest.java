package dev.tollway.edge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.edge.auth.RouteKeys.Verdict;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.snapshot.ApiKeySet;
import dev.tollway.schemas.snapshot.ApiKeySet.ClientApiKey;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.RoutePolicy.ApiKeyAuth;
import dev.tollway.schemas.snapshot.RoutePolicy.ApiKeyAuth.Mode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The check of a presented key against a route's key sets. */
class RouteKeysTest {

  private static final SnapshotCipher CIPHER = SnapshotCipher.generate();
  private static final UnaryOperator<String> DIGEST = CIPHER::digest;

  private static ClientApiKey key(String set, String entry, String key) {
    return new ClientApiKey(set + "/" + entry, entry, CIPHER.digest(key), null, null, new TreeMap<>());
  }

  private static final ClientKeys KEYS = ClientKeys.of(GatewaySnapshot.of("default/gw", "tollway", List.of(), List.of(),
      Map.of("default/a", new ApiKeySet(List.of(key("default/a", "alice", "sk-alice"), key("default/a", "dup", "sk-dup"))),
          "default/b", new ApiKeySet(List.of(key("default/b", "bob", "sk-bob"), key("default/b", "dup", "sk-dup")))),
      Map.of()));

  private static String outcome(Verdict verdict) {
    if (verdict instanceof Verdict.Authenticated a) {
      return a.key().id();
    }
    return verdict instanceof Verdict.Refused ? "401" : "anonymous";
  }

  @ParameterizedTest(name = "{0} {1} presents {2}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      -        | -                   | sk-alice  | anonymous
      Strict   | default/a           | sk-alice  | default/a/alice
      Strict   | default/a           | -         | 401
      Strict   | default/a           | sk-bob    | 401
      Strict   | default/a           | sk-alice2 | 401
      Strict   | default/a,default/b | sk-bob    | default/b/bob
      Strict   | default/b,default/a | sk-dup    | default/b/dup
      Strict   | default/gone        | sk-alice  | 401
      Optional | default/a           | -         | anonymous
      Optional | default/a           | sk-bob    | 401
      Optional | default/a           | sk-alice  | default/a/alice
      """)
  void shouldAuthenticateRefuseOrLetThroughAnonymously(String mode, String sets, String presented, String expected) {
    // Given
    ApiKeyAuth auth = mode == null ? null : new ApiKeyAuth(Mode.valueOf(mode), List.of(sets.split(",")));

    // When
    Verdict verdict = KEYS.forRoute(auth).check(presented, DIGEST);

    // Then
    assertThat(outcome(verdict)).isEqualTo(expected);
  }
}
