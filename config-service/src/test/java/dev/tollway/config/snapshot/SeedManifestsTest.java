package dev.tollway.config.snapshot;

import static dev.tollway.config.Manifests.seed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.config.Manifests;
import dev.tollway.config.status.Condition;
import dev.tollway.config.status.ConditionStatus;
import dev.tollway.config.status.ResourceStatus;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.Backend;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.Listener;
import dev.tollway.schemas.snapshot.Provider;
import dev.tollway.schemas.snapshot.RouteEntry;
import dev.tollway.schemas.snapshot.RouteFilter;
import dev.tollway.schemas.snapshot.RouteMatch.PathMatch;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The tutorial's manifests, applied exactly as they are, step by step. */
class SeedManifestsTest {

  private static final String GATEWAY = "default/agentgateway";
  private final SnapshotCipher cipher = Manifests.cipher();
  private final SnapshotCompiler compiler = new SnapshotCompiler(cipher);

  @Test
  void shouldRouteEverythingToGeminiAfterSteps01To03() {
    // Given the Gateway, the Gemini backend and its Secret, and the catch-all route
    var state = seed("seed/01-gateway.yaml", "seed/secrets.yaml", "seed/llm/gemini/02-backend-gemini.yaml",
        "seed/llm/03-httproute.yaml");

    // When
    CompileResult result = compiler.compile(state);

    // Then one snapshot with the HTTP listener and one catch-all route to default/gemini
    assertThat(result.snapshots()).containsOnlyKeys(GATEWAY);
    GatewaySnapshot snapshot = result.snapshots().get(GATEWAY);
    assertThat(snapshot.gatewayClass()).isEqualTo("agentgateway");
    assertThat(snapshot.listeners()).containsExactly(new Listener("http", "HTTP", 80, null, null));
    assertThat(snapshot.routes()).hasSize(1);
    RouteEntry route = snapshot.routes().get(0);
    assertThat(route.route()).isEqualTo("default/llm-route");
    assertThat(route.listeners()).containsExactly("http");
    assertThat(route.hostnames()).isEmpty();
    assertThat(route.match().path()).isEqualTo(new PathMatch(PathMatch.Type.PathPrefix, "/"));
    assertThat(route.filters()).isEmpty();
    assertThat(route.backends()).singleElement().satisfies(ref -> {
      assertThat(ref.backend()).isEqualTo("default/gemini");
      assertThat(ref.weight()).isEqualTo(1);
      assertThat(ref.unresolved()).isNull();
    });

    // and the backend is Gemini with the model override and the Secret's key, sealed for this Gateway
    Backend backend = snapshot.backends().get("default/gemini");
    assertThat(backend.kind()).isEqualTo(Backend.Kind.ai);
    Provider provider = backend.ai().groups().get(0).providers().get(0);
    assertThat(provider.name()).isEqualTo("gemini");
    assertThat(provider.type()).isEqualTo(Provider.ProviderType.gemini);
    assertThat(provider.model()).isEqualTo("gemini-2.5-flash");
    assertThat(provider.host()).isNull();
    assertThat(provider.tls()).isTrue();
    assertThat(provider.auth().mode()).isEqualTo(Provider.ProviderAuth.Mode.key);
    assertThat(cipher.open(GATEWAY, provider.auth().key())).isEqualTo("test-gemini-key-0001");
    assertThat(new String(Json.toBytes(snapshot), StandardCharsets.UTF_8)).doesNotContain("test-gemini-key");

    // and every resource is accepted
    assertThat(result.problems()).isEmpty();
    assertThat(status(result, "Gateway", GATEWAY).condition("Accepted")).get()
        .extracting(Condition::status).isEqualTo(ConditionStatus.True);
    assertThat(status(result, "Gateway", GATEWAY).listeners()).singleElement()
        .satisfies(l -> assertThat(l.attachedRoutes()).isEqualTo(1));
  }

  @Test
  void shouldReplaceTheCatchAllWithTheGeminiPrefixWhenStep04IsApplied() {
    // Given step 04 applied after 03: the same HTTPRoute name
    var state = seed("seed/01-gateway.yaml", "seed/secrets.yaml", "seed/llm/gemini/02-backend-gemini.yaml",
        "seed/llm/03-httproute.yaml", "seed/llm/04-httproute-gemini.yaml");

    // When
    GatewaySnapshot snapshot = compiler.compile(state).snapshots().get(GATEWAY);

    // Then only the /ai/gemini prefix routes, rewritten to /
    assertThat(snapshot.routes()).singleElement().satisfies(route -> {
      assertThat(route.match().path()).isEqualTo(new PathMatch(PathMatch.Type.PathPrefix, "/ai/gemini"));
      assertThat(route.filters()).containsExactly(RouteFilter.urlRewrite(new RouteFilter.UrlRewrite(null,
          new RouteFilter.PathModifier(RouteFilter.PathModifier.Type.ReplacePrefixMatch, "/"))));
      assertThat(route.backends()).extracting(b -> b.backend()).containsExactly("default/gemini");
    });
  }

  @Test
  void shouldRouteClaudeAndGeminiPrefixesAfterSteps05And06() {
    // Given the whole LLM part of the tutorial
    var state = seed("seed/01-gateway.yaml", "seed/secrets.yaml", "seed/llm/gemini/02-backend-gemini.yaml",
        "seed/llm/03-httproute.yaml", "seed/llm/04-httproute-gemini.yaml",
        "seed/llm/anthropic/05-backend-anthropic.yaml", "seed/llm/06-httproute-anthropic.yaml");

    // When
    CompileResult result = compiler.compile(state);
    GatewaySnapshot snapshot = result.snapshots().get(GATEWAY);

    // Then /ai/claude goes to Anthropic and /ai/gemini to Gemini, both rewritten to /
    assertThat(snapshot.routes()).extracting(r -> r.match().path().value(), r -> r.backends().get(0).backend())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("/ai/claude", "default/anthropic"),
            org.assertj.core.groups.Tuple.tuple("/ai/gemini", "default/gemini"));
    assertThat(snapshot.routes()).allSatisfy(r -> assertThat(r.filters()).singleElement()
        .satisfies(f -> assertThat(f.urlRewrite().path().value()).isEqualTo("/")));
    assertThat(snapshot.backends()).containsOnlyKeys("default/anthropic", "default/gemini");

    // and each key opens to its own Secret's value, and neither appears in the bytes
    Provider anthropic = snapshot.backends().get("default/anthropic").ai().groups().get(0).providers().get(0);
    assertThat(anthropic.type()).isEqualTo(Provider.ProviderType.anthropic);
    assertThat(anthropic.model()).isEqualTo("claude-sonnet-4-20250514");
    assertThat(cipher.open(GATEWAY, anthropic.auth().key())).isEqualTo("test-anthropic-key-0002");
    String json = new String(Json.toBytes(snapshot), StandardCharsets.UTF_8);
    assertThat(json).doesNotContain("test-anthropic-key", "test-gemini-key");
    assertThat(result.problems()).isEmpty();
  }

  @Test
  void shouldLeaveTheRouteUnresolvedAndTheBackendNotAcceptedWhenTheSecretIsMissing() {
    // Given the tutorial without the Secrets
    var state = seed("seed/01-gateway.yaml", "seed/llm/gemini/02-backend-gemini.yaml",
        "seed/llm/anthropic/05-backend-anthropic.yaml", "seed/llm/06-httproute-anthropic.yaml");

    // When
    CompileResult result = compiler.compile(state);

    // Then the backends are not accepted, naming the Secret
    assertThat(status(result, "AgentgatewayBackend", "default/gemini").condition("Accepted")).get()
        .satisfies(c -> {
          assertThat(c.status()).isEqualTo(ConditionStatus.False);
          assertThat(c.reason()).isEqualTo("SecretNotFound");
          assertThat(c.message()).contains("Secret default/gemini-secret not found");
        });
    // and the route still attaches, with both references unresolved and the reason on ResolvedRefs
    GatewaySnapshot snapshot = result.snapshots().get(GATEWAY);
    assertThat(snapshot.routes()).hasSize(2).allSatisfy(r ->
        assertThat(r.backends().get(0).unresolved()).contains("is not accepted: Secret default/"));
    assertThat(snapshot.backends()).isEmpty();
    assertThat(status(result, "HTTPRoute", "default/llm-route").parent(GATEWAY)).get().satisfies(p -> {
      assertThat(p.conditions()).filteredOn(c -> c.type().equals("Accepted"))
          .singleElement().extracting(Condition::status).isEqualTo(ConditionStatus.True);
      assertThat(p.conditions()).filteredOn(c -> c.type().equals("ResolvedRefs")).singleElement()
          .satisfies(c -> {
            assertThat(c.status()).isEqualTo(ConditionStatus.False);
            assertThat(c.reason()).isEqualTo("BackendNotFound");
            assertThat(c.message()).contains("default/anthropic-secret", "default/gemini-secret");
          });
    });
  }

  static ResourceStatus status(CompileResult result, String kind, String key) {
    return result.statuses().stream()
        .filter(s -> s.resource().kind().equals(kind) && s.resource().key().equals(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no status for " + kind + " " + key + " in " + result.statuses()));
  }
}
