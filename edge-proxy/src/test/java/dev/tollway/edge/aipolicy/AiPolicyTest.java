package dev.tollway.edge.aipolicy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.provider.Fixtures;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.AiBackend.AiPolicy;
import dev.tollway.schemas.snapshot.AiBackend.FieldValue;
import dev.tollway.schemas.snapshot.AiBackend.PromptMessage;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code spec.policies.ai}: defaults, overrides, prompt enrichment and the model sent, in agentgateway's order. */
class AiPolicyTest {

  private static final List<PromptMessage> PREPEND = List.of(
      new PromptMessage("system", "Answer in French."), new PromptMessage("user", "Context: Kubernetes 1.34."));
  private static final List<PromptMessage> APPEND = List.of(new PromptMessage("system", "Be brief."));

  private static AiPolicy policy(Map<String, String> aliases, List<FieldValue> defaults, List<FieldValue> overrides) {
    return new AiPolicy(new TreeMap<>(), new TreeMap<>(aliases), defaults, overrides, List.of(), List.of());
  }

  private static FieldValue field(String name, String json) {
    return new FieldValue(name, Fixtures.parse(json));
  }

  @Test
  void shouldSetOverridesWhateverTheClientSentAndDefaultsOnlyWhereMissing() {
    // Given a body with a temperature, a max_tokens and an explicit null top_p
    ObjectNode body = (ObjectNode) Fixtures.parse("{\"temperature\":0.2,\"max_tokens\":10,\"top_p\":null}");
    AiPolicy policy = policy(Map.of(),
        List.of(field("temperature", "0.1"), field("top_p", "0.5"), field("max_tokens", "100"), field("seed", "7")),
        List.of(field("temperature", "0.9"), field("metadata", "{\"team\":\"search\"}")));

    // When the policy is applied
    BodyPolicies.apply(policy, body);

    // Then the override wins over the client and is not undone by the default; defaults fill what is missing
    assertThat(body).isEqualTo(Fixtures.parse(
        "{\"temperature\":0.9,\"max_tokens\":10,\"top_p\":0.5,\"metadata\":{\"team\":\"search\"},\"seed\":7}"));
  }

  @Test
  void shouldNotShareTheSnapshotsValuesWithARequest() {
    AiPolicy policy = policy(Map.of(), List.of(field("metadata", "{\"a\":1}")), List.of());
    ObjectNode body = Json.mapper().createObjectNode();

    BodyPolicies.apply(policy, body);
    ((ObjectNode) body.get("metadata")).put("a", 2);

    assertThat(policy.defaults().get(0).value()).isEqualTo(Fixtures.parse("{\"a\":1}"));
  }

  @ParameterizedTest(name = "provider={0} body={1} override={2} → {3}")
  @CsvSource(nullValues = "null", value = {
    // the provider's model replaces the client's; aliases then rewrite the result, the provider's included
    "claude-opus-4,   gpt-4o,          null,        claude-opus-4",
    "fast,            gpt-4o,          null,        gpt-4o-mini",
    // without a provider model, the body's (the client's, or the policy's default) goes through the aliases
    "null,            fast,            null,        gpt-4o-mini",
    "null,            gpt-4o,          null,        gpt-4o",
    "null,            null,            null,        null",
    // an override of model wins over the provider's model too
    "claude-opus-4,   fast,            fast,        gpt-4o-mini",
    // wildcards: exact first, then the longest pattern
    "null,            claude-3-x,      null,        claude-sonnet-4",
    "null,            claude-3-opus-x, null,        claude-opus-4",
    "null,            o-sonnet-1,      null,        sonnet-target",
  })
  void shouldResolveTheModelInAgentgatewaysOrder(String provider, String body, String override, String expected) {
    AiPolicy policy = policy(
        Map.of("fast", "gpt-4o-mini", "claude-3-*", "claude-sonnet-4", "claude-3-opus*", "claude-opus-4",
            "*-sonnet-*", "sonnet-target"),
        List.of(),
        override == null ? List.of() : List.of(field("model", "\"" + override + "\"")));

    assertThat(ModelResolution.resolve(policy, provider, body)).isEqualTo(expected);
  }

  @Test
  void shouldPreferTheLongerPatternAsAgentgatewayDoes() {
    Map<String, String> aliases = Map.of("claude-haiku-*", "haiku", "claude-haiku-3.5-*", "haiku-3.5", "*", "any");

    assertThat(ModelResolution.alias(aliases, "claude-haiku-3.5-v1")).isEqualTo("haiku-3.5");
    assertThat(ModelResolution.alias(aliases, "claude-haiku-v1")).isEqualTo("haiku");
    assertThat(ModelResolution.alias(aliases, "gpt-4o")).isEqualTo("any");
    assertThat(ModelResolution.alias(Map.of("test.*", "t"), "testXv1")).as("a dot is literal").isEqualTo("testXv1");
  }

  @Test
  void shouldAddPromptMessagesToAnOpenAiChat() {
    ObjectNode body = (ObjectNode) Fixtures.parse("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    PromptEnrichment.apply(ChatFormat.OPENAI_CHAT, body, PREPEND, APPEND);

    assertThat(body.get("messages")).isEqualTo(Fixtures.parse("[{\"role\":\"system\",\"content\":\"Answer in French.\"},"
        + "{\"role\":\"user\",\"content\":\"Context: Kubernetes 1.34.\"},{\"role\":\"user\",\"content\":\"hi\"},"
        + "{\"role\":\"system\",\"content\":\"Be brief.\"}]"));
  }

  @Test
  void shouldTurnAStringResponsesInputIntoItemsAroundThePromptMessages() {
    ObjectNode body = (ObjectNode) Fixtures.parse("{\"input\":\"hi\"}");

    PromptEnrichment.apply(ChatFormat.OPENAI_RESPONSES, body, PREPEND, APPEND);

    assertThat(body.get("input")).isEqualTo(Fixtures.parse("[{\"role\":\"system\",\"content\":\"Answer in French.\"},"
        + "{\"role\":\"user\",\"content\":\"Context: Kubernetes 1.34.\"},{\"role\":\"user\",\"content\":\"hi\"},"
        + "{\"role\":\"system\",\"content\":\"Be brief.\"}]"));
  }

  @ParameterizedTest(name = "system {0}")
  @CsvSource(delimiter = '|', value = {
    "absent          | {}                                                     | \"Answer in French.\\n\\nBe brief.\"",
    "a string        | {\"system\":\"You help.\"}                              | \"Answer in French.\\n\\nYou help.\\n\\nBe brief.\"",
    "text blocks     | {\"system\":[{\"type\":\"text\",\"text\":\"You help.\",\"cache_control\":{\"type\":\"ephemeral\"}}]} | [{\"type\":\"text\",\"text\":\"Answer in French.\"},{\"type\":\"text\",\"text\":\"You help.\",\"cache_control\":{\"type\":\"ephemeral\"}},{\"type\":\"text\",\"text\":\"Be brief.\"}]",
  })
  void shouldAddSystemPromptsToAnthropicsSystemAndTheRestToItsMessages(String name, String system, String expected) {
    ObjectNode body = (ObjectNode) Fixtures.parse(system);
    body.set("messages", Fixtures.parse("[{\"role\":\"user\",\"content\":\"hi\"}]"));

    PromptEnrichment.apply(ChatFormat.ANTHROPIC_MESSAGES, body, PREPEND, APPEND);

    assertThat(body.get("system")).isEqualTo(Fixtures.parse(expected));
    assertThat(body.get("messages")).isEqualTo(Fixtures.parse(
        "[{\"role\":\"user\",\"content\":\"Context: Kubernetes 1.34.\"},{\"role\":\"user\",\"content\":\"hi\"}]"));
  }

  @Test
  void shouldAddPromptsToGeminiAsSystemInstructionPartsAndContents() {
    ObjectNode body = (ObjectNode) Fixtures.parse("{\"systemInstruction\":{\"parts\":[{\"text\":\"You help.\"}]},"
        + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}");

    PromptEnrichment.apply(ChatFormat.GEMINI_GENERATE_CONTENT, body, PREPEND,
        List.of(new PromptMessage("assistant", "Ready.")));

    assertThat(body).isEqualTo(Fixtures.parse("{\"systemInstruction\":{\"parts\":[{\"text\":\"Answer in French.\"},"
        + "{\"text\":\"You help.\"}]},\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Context: Kubernetes 1.34.\"}]},"
        + "{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]},{\"role\":\"model\",\"parts\":[{\"text\":\"Ready.\"}]}]}"));
  }

  @Test
  void shouldLeaveAMalformedBodyForTheDecoderToReport() {
    ObjectNode body = (ObjectNode) Fixtures.parse("{\"messages\":\"not a list\"}");

    PromptEnrichment.apply(ChatFormat.OPENAI_CHAT, body, PREPEND, APPEND);

    JsonNode messages = body.get("messages");
    assertThat(messages.textValue()).isEqualTo("not a list");
  }
}
