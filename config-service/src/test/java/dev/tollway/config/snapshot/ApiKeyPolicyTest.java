package dev.tollway.config.snapshot;

import static dev.tollway.config.snapshot.Fixtures.BACKEND_OPENAI;
import static dev.tollway.config.snapshot.Fixtures.compile;
import static dev.tollway.config.snapshot.Fixtures.condition;
import static dev.tollway.config.snapshot.Fixtures.snapshot;
import static dev.tollway.config.snapshot.PolicyAttachmentTest.GATEWAY;
import static dev.tollway.config.snapshot.PolicyAttachmentTest.ON_ROUTE;
import static dev.tollway.config.snapshot.PolicyAttachmentTest.ROUTE;
import static dev.tollway.config.snapshot.PolicyAttachmentTest.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.config.Manifests;
import dev.tollway.config.status.Condition;
import dev.tollway.config.status.ConditionStatus;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.ApiKeySet;
import dev.tollway.schemas.snapshot.ApiKeySet.ClientApiKey;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.RoutePolicy.ApiKeyAuth;
import dev.tollway.schemas.snapshot.RoutePolicy.ApiKeyAuth.Mode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** API keys: Secret entry formats, digests, selectors, rotation, deletion and what is wrong with a Secret. */
class ApiKeyPolicyTest {

  private static final String STRICT_BY_NAME = policy("keys", ON_ROUTE, "apiKeyAuthentication: {secretRef: {name: team-keys}}");

  private static String secret(String name, String namespace, String labels, String stringData) {
    return """
        apiVersion: v1
        kind: Secret
        metadata: {name: %s, namespace: %s, labels: {%s}}
        stringData:
        %s
        """.formatted(name, namespace, labels, stringData.indent(2).stripTrailing());
  }

  private static CompileResult compileWith(String... more) {
    String[] docs = new String[more.length + 3];
    docs[0] = GATEWAY;
    docs[1] = ROUTE;
    docs[2] = BACKEND_OPENAI;
    System.arraycopy(more, 0, docs, 3, more.length);
    return compile(docs);
  }

  private static ApiKeySet keySet(CompileResult result, String policy) {
    ApiKeySet set = snapshot(result, "default/gw").apiKeySets().get(policy);
    assertThat(set).as("key set " + policy).isNotNull();
    return set;
  }

  private static String digest(String key) {
    return Manifests.cipher().digest(key);
  }

  @Test
  void shouldReadPlainAndJsonEntriesAsDigestsWithMetadata() {
    // Given a Secret with a plain key, a key with metadata, and one given base64-encoded under data
    String secret = secret("team-keys", "default", "", """
        checkout: "  sk-checkout-1\\n"
        billing: |
          {"key": "sk-billing-1", "metadata": {"name": "Billing service", "team": "payments", "user": "ana",
           "env": "prod", "tier": 2, "beta": true}}
        """) + "data:\n  legacy: " + Base64.getEncoder().encodeToString("sk-legacy".getBytes(StandardCharsets.UTF_8)) + "\n";

    // When
    CompileResult result = compileWith(STRICT_BY_NAME, secret);

    // Then every entry is one key, identified by namespace/secret/entry, carrying only its digest
    assertThat(result.problems()).isEmpty();
    assertThat(keySet(result, "default/keys").keys()).containsExactly(
        new ClientApiKey("default/team-keys/billing", "Billing service", digest("sk-billing-1"), "payments", "ana",
            new TreeMap<>(Map.of("beta", "true", "env", "prod", "tier", "2"))),
        new ClientApiKey("default/team-keys/checkout", "checkout", digest("sk-checkout-1"), null, null, new TreeMap<>()),
        new ClientApiKey("default/team-keys/legacy", "legacy", digest("sk-legacy"), null, null, new TreeMap<>()));
    // and the routes require a key from that set
    assertThat(snapshot(result, "default/gw").routes()).allSatisfy(e -> assertThat(e.policy().apiKeyAuth())
        .isEqualTo(new ApiKeyAuth(Mode.Strict, List.of("default/keys"))));
    // and no key is in the snapshot's bytes
    String bytes = new String(Json.toBytes(snapshot(result, "default/gw")), StandardCharsets.UTF_8);
    assertThat(bytes).doesNotContain("sk-checkout-1", "sk-billing-1", "sk-legacy");
    assertThat(condition(result, "AgentgatewayPolicy", "default/keys", "ResolvedRefs").message())
        .isEqualTo("3 API key(s) from Secret default/team-keys");
  }

  @Test
  void shouldSkipEntriesThatAreNotKeysNamingThemButNeverTheirValue() {
    // Given a Secret with one good key and entries that are not keys
    String secret = secret("team-keys", "default", "", """
        good: sk-good
        empty: "  "
        broken: '{"key": "sk-leaky-secret", '
        nokey: '{"metadata": {"team": "a"}}'
        hashed: '{"keyHash": "sha256:00"}'
        listy: '{"key": "sk-x", "metadata": ["sk-y"]}'
        """);

    // When
    CompileResult result = compileWith(STRICT_BY_NAME, secret);

    // Then the good key is used and each other entry is named in the condition
    assertThat(keySet(result, "default/keys").keys()).extracting(ClientApiKey::id)
        .containsExactly("default/team-keys/good");
    Condition refs = condition(result, "AgentgatewayPolicy", "default/keys", "ResolvedRefs");
    assertThat(refs.status()).isEqualTo(ConditionStatus.False);
    assertThat(refs.reason()).isEqualTo("InvalidSecret");
    String format = "(expected: a key, or {\"key\": \"...\", \"metadata\": {...}})";
    assertThat(refs.message()).isEqualTo(String.join("; ",
        "Secret default/team-keys entry broken: starts with { but is not valid JSON " + format,
        "Secret default/team-keys entry empty: empty " + format,
        "Secret default/team-keys entry hashed: keyHash is not supported by Tollway (expected: key)",
        "Secret default/team-keys entry listy: \"metadata\" is not an object " + format,
        "Secret default/team-keys entry nokey: \"key\" is missing or not a non-empty string " + format));
    assertThat(refs.message()).doesNotContain("sk-leaky-secret", "sk-y");
    // and the policy still applies
    assertThat(condition(result, "AgentgatewayPolicy", "default/keys", "Accepted").status())
        .isEqualTo(ConditionStatus.True);
  }

  @Test
  void shouldCollectKeysFromEverySecretTheSelectorMatchesInThePolicysNamespaceOnly() {
    // Given labelled Secrets in the policy's namespace and elsewhere, and one without the label
    String selector = policy("keys", ON_ROUTE, """
        apiKeyAuthentication:
          mode: Optional
          secretSelector: {matchLabels: {tollway.dev/api-keys: "true"}}
        """);

    // When
    CompileResult result = compileWith(selector,
        secret("team-a", "default", "tollway.dev/api-keys: \"true\"", "k1: sk-a1"),
        secret("team-b", "default", "tollway.dev/api-keys: \"true\", extra: x", "k1: sk-b1\nk2: sk-b2"),
        secret("unlabelled", "default", "", "k1: sk-u1"),
        secret("team-c", "other", "tollway.dev/api-keys: \"true\"", "k1: sk-c1"));

    // Then
    assertThat(keySet(result, "default/keys").keys()).extracting(ClientApiKey::id)
        .containsExactly("default/team-a/k1", "default/team-b/k1", "default/team-b/k2");
    assertThat(snapshot(result, "default/gw").routes().get(0).policy().apiKeyAuth())
        .isEqualTo(new ApiKeyAuth(Mode.Optional, List.of("default/keys")));
  }

  @Test
  void shouldGiveARotatedKeyANewDigestUnderTheSameIdAndDropADeletedOne() {
    // Given two keys
    CompileResult before = compileWith(STRICT_BY_NAME,
        secret("team-keys", "default", "", "alice: sk-alice-1\nbob: sk-bob-1"));

    // When alice's key is rotated and bob's entry deleted
    CompileResult after = compileWith(STRICT_BY_NAME, secret("team-keys", "default", "", "alice: sk-alice-2"));

    // Then
    assertThat(keySet(before, "default/keys").keys()).extracting(ClientApiKey::id, ClientApiKey::digest)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("default/team-keys/alice", digest("sk-alice-1")),
            org.assertj.core.groups.Tuple.tuple("default/team-keys/bob", digest("sk-bob-1")));
    assertThat(keySet(after, "default/keys").keys()).extracting(ClientApiKey::id, ClientApiKey::digest)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("default/team-keys/alice", digest("sk-alice-2")));
  }

  @Test
  void shouldAcceptNoKeyWhenTheSecretIsMissing() {
    // When the Secret does not exist
    CompileResult result = compileWith(STRICT_BY_NAME);

    // Then the routes still require a key, and none is accepted
    assertThat(keySet(result, "default/keys").keys()).isEmpty();
    assertThat(snapshot(result, "default/gw").routes()).allSatisfy(e ->
        assertThat(e.policy().apiKeyAuth()).isEqualTo(new ApiKeyAuth(Mode.Strict, List.of("default/keys"))));
    Condition refs = condition(result, "AgentgatewayPolicy", "default/keys", "ResolvedRefs");
    assertThat(refs.reason()).isEqualTo("SecretNotFound");
    assertThat(refs.message()).isEqualTo("Secret default/team-keys not found: no key is accepted");
  }

  @Test
  void shouldUseOnlyTheFirstOfTwoEntriesHoldingTheSameKey() {
    // When two entries hold the same key
    CompileResult result = compileWith(STRICT_BY_NAME, secret("team-keys", "default", "", "a: sk-same\nb: sk-same"));

    // Then one id is used, and the other named
    assertThat(keySet(result, "default/keys").keys()).extracting(ClientApiKey::id)
        .containsExactly("default/team-keys/a");
    assertThat(condition(result, "AgentgatewayPolicy", "default/keys", "ResolvedRefs").message())
        .isEqualTo("default/team-keys/b holds the same key as default/team-keys/a; only default/team-keys/a is used");
  }

  @Test
  void shouldLockDownTheTargetsOfARefusedApiKeyPolicyButIgnoreOtherRefusedPolicies() {
    // Given an API key policy with an unsupported field, and a refused rate limit policy on the Gateway
    String refusedKeys = policy("keys", ON_ROUTE, """
        apiKeyAuthentication: {secretRef: {name: team-keys}}
        cors: {allowOrigins: ["*"]}
        """);
    String refusedLimit = policy("limit", PolicyAttachmentTest.ON_GATEWAY, "rateLimit: {local: [{requests: 0, unit: Minutes}]}");

    // When
    CompileResult result = compileWith(refusedKeys, refusedLimit, secret("team-keys", "default", "", "a: sk-a"));

    // Then the API key policy still requires a key and accepts none
    GatewaySnapshot snapshot = snapshot(result, "default/gw");
    assertThat(snapshot.routes()).allSatisfy(e -> {
      assertThat(e.policy().apiKeyAuth()).isEqualTo(new ApiKeyAuth(Mode.Strict, List.of("default/keys")));
      assertThat(e.policy().rateLimits()).isEmpty();
    });
    assertThat(snapshot.apiKeySets().get("default/keys").keys()).isEmpty();
    Condition keys = condition(result, "AgentgatewayPolicy", "default/keys", "Accepted");
    assertThat(keys.reason()).isEqualTo("Unsupported");
    assertThat(keys.message()).isEqualTo("spec.traffic.cors: not supported by Tollway yet; it asks for API keys, "
        + "so the 2 route rule(s) it targets refuse every request (401) until it is fixed");
    Condition limit = condition(result, "AgentgatewayPolicy", "default/limit", "Accepted");
    assertThat(limit.reason()).isEqualTo("Invalid");
    assertThat(limit.message()).isEqualTo(
        "spec.traffic.rateLimit.local[0].requests: 0 (expected: an integer from 1 to 2147483647); it has no effect");
  }

  @Test
  void shouldCompileTheSameKeysToTheSameBytes() {
    // Given
    String secret = secret("team-keys", "default", "", "b: sk-b\na: '{\"key\": \"sk-a\", \"metadata\": {\"team\": \"t\"}}'");

    // When compiled twice
    byte[] first = Json.toBytes(snapshot(compileWith(STRICT_BY_NAME, secret), "default/gw"));
    byte[] second = Json.toBytes(snapshot(compileWith(secret, STRICT_BY_NAME), "default/gw"));

    // Then
    assertThat(second).isEqualTo(first);
  }
}
