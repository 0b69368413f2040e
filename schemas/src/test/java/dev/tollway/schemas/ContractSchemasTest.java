package dev.tollway.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.price.TokenRates;
import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.schemas.snapshot.ApiKeySet;
import dev.tollway.schemas.snapshot.HealthPolicy;
import dev.tollway.schemas.snapshot.RoutePolicy;
import dev.tollway.schemas.snapshot.RouteTimeouts;
import dev.tollway.schemas.snapshot.AiBackend;
import dev.tollway.schemas.snapshot.Backend;
import dev.tollway.schemas.snapshot.BackendRef;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.Listener;
import dev.tollway.schemas.snapshot.Provider;
import dev.tollway.schemas.snapshot.RouteEntry;
import dev.tollway.schemas.snapshot.RouteFilter;
import dev.tollway.schemas.snapshot.RouteMatch;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.topic.TopicDefinition;
import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.usage.SpendAggregate;
import dev.tollway.schemas.usage.SpendDimensions;
import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageAggregate;
import dev.tollway.schemas.usage.UsageDimensions;
import dev.tollway.schemas.usage.UsageEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ContractSchemasTest {

  private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

  static Stream<Arguments> samples() {
    return Stream.of(
        Arguments.of(Topics.CONFIG, sampleSnapshot()),
        Arguments.of(Topics.USAGE, sampleUsageEvent()),
        Arguments.of(Topics.USAGE_MINUTE, sampleAggregate()),
        Arguments.of(Topics.QUOTA, sampleQuotaDecision()),
        Arguments.of(Topics.PRICES, samplePrice()),
        Arguments.of(Topics.BUDGETS, sampleBudget()),
        Arguments.of(Topics.SPEND_DAILY, sampleSpend()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void serializedRecordsShouldMatchTheirTopicSchema(TopicDefinition<?> topic, Object record) {
    JsonNode json = Json.mapper().valueToTree(record);

    assertThat(errors(topic, json)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void recordsShouldRoundTripThroughTheirSerde(TopicDefinition<?> topic, Object record) {
    byte[] bytes = serialize(topic, record);

    Object decoded = topic.serde().deserialize(topic.name(), bytes);

    assertThat(decoded).isEqualTo(record);
    assertThat(serialize(topic, decoded)).isEqualTo(bytes);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void examplePayloadShouldMatchTheSchemaAndDecode(TopicDefinition<?> topic, Object ignored) throws IOException {
    JsonNode example = Json.mapper().readTree(Files.readAllBytes(Path.of("examples", topic.name() + ".json")));

    assertThat(errors(topic, example)).isEmpty();
    Object decoded = Json.mapper().treeToValue(example, topic.valueType());
    assertThat(Json.mapper().readTree(Json.toBytes(decoded))).isEqualTo(example);
  }

  @Test
  void schemaShouldRejectAUsageEventWithoutTokens() {
    ObjectNode json = Json.mapper().valueToTree(sampleUsageEvent());
    json.remove("tokens");

    assertThat(errors(Topics.USAGE, json)).extracting(Error::getMessage).anyMatch(m -> m.contains("tokens"));
  }

  @Test
  void schemaShouldRejectAPlainSecretInASnapshot() {
    ObjectNode json = Json.mapper().valueToTree(sampleSnapshot());
    ((ObjectNode) json.at("/backends/default~1gemini/ai/groups/0/providers/0/auth/key")).put("plaintext", "sk-1");

    assertThat(errors(Topics.CONFIG, json)).isNotEmpty();
  }

  @Test
  void everyTopicShouldHaveAVersionedNameAndALoadableSchema() {
    assertThat(Topics.all())
        .allSatisfy(
            topic -> {
              assertThat(topic.name()).matches("tollway\\.[a-z.]+\\.v\\d+");
              assertThat(schema(topic)).isNotNull();
            });
    assertThat(Topics.CONFIG.allConfigs()).containsEntry("cleanup.policy", "compact");
    assertThat(Topics.QUOTA.allConfigs()).containsEntry("cleanup.policy", "compact");
    assertThat(Topics.USAGE.allConfigs()).containsEntry("cleanup.policy", "delete");
  }

  @SuppressWarnings("unchecked")
  private static byte[] serialize(TopicDefinition<?> topic, Object record) {
    return ((TopicDefinition<Object>) topic).serde().serialize(topic.name(), record);
  }

  private static List<Error> errors(TopicDefinition<?> topic, JsonNode json) {
    return schema(topic).validate(json);
  }

  private static Schema schema(TopicDefinition<?> topic) {
    return REGISTRY.getSchema(SchemaLocation.of("classpath:" + topic.schema()));
  }

  static GatewaySnapshot sampleSnapshot() {
    SnapshotCipher cipher = SnapshotCipher.generate();
    Provider gemini =
        new Provider(
            "gemini",
            Provider.ProviderType.gemini,
            "gemini-2.5-flash",
            null,
            null,
            null,
            null,
            true,
            new TreeMap<>(),
            Provider.ProviderAuth.key(cipher.seal("default/agentgateway", "AIza-test")));
    RouteEntry route =
        new RouteEntry(
            "default/llm-route",
            0,
            List.of("http"),
            List.of(),
            new RouteMatch(new RouteMatch.PathMatch(RouteMatch.PathMatch.Type.PathPrefix, "/ai/gemini"), List.of(), List.of(), null),
            List.of(
                RouteFilter.urlRewrite(
                    new RouteFilter.UrlRewrite(
                        null, new RouteFilter.PathModifier(RouteFilter.PathModifier.Type.ReplacePrefixMatch, "/")))),
            List.of(BackendRef.resolved("default/gemini", 1), BackendRef.resolved("default/web:8080", 1), BackendRef.unresolved("default/missing", 1, "not found")),
            new RouteTimeouts(30_000L, null),
            new RoutePolicy(
                new RoutePolicy.ApiKeyAuth(RoutePolicy.ApiKeyAuth.Mode.Strict, List.of("default/keys")),
                List.of(new RoutePolicy.RateLimit("default/keys#0", RoutePolicy.RateLimit.Kind.tokens, 1000, RoutePolicy.RateLimit.Unit.Minutes, 100)),
                new RoutePolicy.Retry(List.of(429, 503), 3, 250L)));
    AiBackend.AiPolicy policy =
        new AiBackend.AiPolicy(
            new TreeMap<>(Map.of("/v1/messages", "Messages", "*", "Completions")),
            new TreeMap<>(Map.of("fast", "gemini-2.5-flash")),
            List.of(new AiBackend.FieldValue("temperature", Json.mapper().getNodeFactory().numberNode(0.2))),
            List.of(new AiBackend.FieldValue("metadata", Json.mapper().createObjectNode().put("env", "test"))),
            List.of(new AiBackend.PromptMessage("system", "Be brief.")),
            List.of());
    return GatewaySnapshot.of(
        "default/agentgateway",
        "agentgateway",
        List.of(new Listener("http", "HTTP", 80, null, null)),
        List.of(route),
        Map.of(
            "default/keys",
            new ApiKeySet(List.of(new ApiKeySet.ClientApiKey(
                "default/keys/ci", "ci", cipher.digest("sk-client"), "platform", null, new TreeMap<>(Map.of("env", "dev")))))),
        Map.of(
            "default/gemini",
            Backend.ai(
                "default/gemini",
                new AiBackend(
                    List.of(new AiBackend.ProviderGroup(List.of(gemini))),
                    policy,
                    new HealthPolicy("response.code >= 500", 3000, 1),
                    60_000L)),
            "default/web:8080",
            Backend.host("default/web", new Backend.HostBackend("web.default.svc.cluster.local", 8080, false))));
  }

  static UsageEvent sampleUsageEvent() {
    Instant start = Instant.parse("2026-11-26T17:00:00.120Z");
    return new UsageEvent(
        UsageEvent.SCHEMA_VERSION,
        "e-1",
        "r-1",
        "4bf92f3577b34da6a3ce929d0e0e4736",
        1,
        true,
        start,
        start.plusMillis(300),
        start.plusMillis(900),
        "default/agentgateway",
        "http",
        "default/llm-route#0",
        "default/gemini",
        "gcp.gemini",
        "generativelanguage.googleapis.com:443",
        "chat",
        "openai.chat",
        null,
        "gemini-2.5-flash",
        "gemini-2.5-flash",
        false,
        new UsageEvent.Caller("k1", "ci", "platform", null, new TreeMap<>(Map.of("env", "dev"))),
        200,
        null,
        new TokenUsage(12, 0, 0, 8, 0, 20, TokenUsage.Source.provider, true));
  }

  static UsageAggregate sampleAggregate() {
    return new UsageAggregate(
        UsageAggregate.SCHEMA_VERSION,
        Instant.parse("2026-11-26T17:00:00Z"),
        Instant.parse("2026-11-26T17:01:00Z"),
        new UsageDimensions("default/agentgateway", "default/llm-route#0", "default/gemini", "gcp.gemini", "gemini-2.5-flash"),
        3,
        0,
        36,
        0,
        0,
        24,
        0,
        60);
  }

  static ModelPrice samplePrice() {
    return new ModelPrice(
        ModelPrice.SCHEMA_VERSION,
        "gcp.gemini",
        "gemini-2.5-flash",
        new TokenRates(300_000_000L, 2_500_000_000L, 75_000_000L, null, null),
        List.of(new ModelPrice.PriceTier(200_000, new TokenRates(600_000_000L, 5_000_000_000L, null, null, null))),
        "2026-11-01",
        "catalog");
  }

  static Budget sampleBudget() {
    return new Budget(
        Budget.SCHEMA_VERSION, "default/each-key-daily", Budget.SubjectType.apiKey, Budget.EACH,
        Budget.Window.day, "UTC", 10_000_000_000L, Budget.Unit.nanoUsd);
  }

  static SpendAggregate sampleSpend() {
    return new SpendAggregate(
        SpendAggregate.SCHEMA_VERSION,
        LocalDate.parse("2026-11-26"),
        "UTC",
        new SpendDimensions("default/keys/ci", "ci", "platform", "gemini-2.5-flash", "gcp.gemini", "default/llm-route#0", "default/agentgateway"),
        3, 0, 36, 0, 0, 24, 0, 60, 70_800, 0, 0);
  }

  static QuotaDecision sampleQuotaDecision() {
    return new QuotaDecision(
        QuotaDecision.SCHEMA_VERSION,
        QuotaDecision.SubjectType.apiKey,
        "k1",
        "default/daily",
        QuotaDecision.Window.day,
        Instant.parse("2026-11-26T00:00:00Z"),
        Instant.parse("2026-11-27T00:00:00Z"),
        1_000_000_001L,
        1_000_000_000L,
        QuotaDecision.Unit.nanoUsd,
        Instant.parse("2026-11-27T00:00:00Z"),
        Instant.parse("2026-11-26T17:00:00Z"));
  }
}
