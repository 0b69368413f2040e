package dev.tollway.edge;

import static dev.tollway.edge.testing.TestSnapshots.EVERY_CLIENT_API;
import static dev.tollway.edge.testing.TestSnapshots.PROVIDER_KEY;
import static dev.tollway.edge.testing.TestSnapshots.aiBackend;
import static dev.tollway.edge.testing.TestSnapshots.catchAll;
import static dev.tollway.edge.testing.TestSnapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.provider.Fixtures;
import dev.tollway.edge.provider.ProviderProtocols;
import dev.tollway.edge.provider.wire.IdSource;
import dev.tollway.edge.testing.FakeProvider;
import dev.tollway.edge.testing.TestStack;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.AiBackend;
import dev.tollway.schemas.snapshot.AiBackend.AiPolicy;
import dev.tollway.schemas.snapshot.AiBackend.FieldValue;
import dev.tollway.schemas.snapshot.AiBackend.PromptMessage;
import dev.tollway.schemas.snapshot.Backend;
import dev.tollway.schemas.snapshot.BackendRef;
import dev.tollway.schemas.snapshot.Provider.ProviderType;
import dev.tollway.schemas.snapshot.RouteEntry;
import dev.tollway.schemas.snapshot.RouteMatch;
import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageEvent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every client API through the real pipeline and the real codecs, to a provider on a local port that
 * answers in that provider's wire format: routing by the body's model, the AI policy, the Responses API
 * both ways, Gemini clients, embeddings, token counting, the model list, passthrough metering.
 */
class ClientApisTest {

  private static final Instant NOW = Instant.parse("2026-11-26T17:00:00Z");

  @TempDir Path stateDir;
  private FakeProvider provider;
  private TestStack stack;

  @BeforeEach
  void setUp() {
    provider = new FakeProvider();
    stack = TestStack.start(stateDir, Clock.fixed(NOW, ZoneOffset.UTC),
        new ProviderProtocols(Clock.fixed(NOW, ZoneOffset.UTC), IdSource.counting()));
  }

  @AfterEach
  void tearDown() {
    stack.close();
    provider.close();
  }

  private static AiPolicy routes(Map<String, String> routes) {
    return new AiPolicy(new TreeMap<>(routes), new TreeMap<>());
  }

  private Backend backend(String name, ProviderType type, String model, AiPolicy policy) {
    return aiBackend(stack.cipher, name, type, provider.port(), model, policy);
  }

  /** One catch-all route to one backend. */
  private void serve(Backend backend) {
    stack.publish(snapshot(List.of(catchAll("default/llm-route", backend.name())), Map.of(backend.name(), backend)));
    stack.awaitReady();
  }

  private static JsonNode json(String body) {
    return Fixtures.parse(body);
  }

  @Test
  void shouldRouteByTheModelInTheBodyWithAHeaderMatchAndNotForwardTheHeader() throws Exception {
    // Given one URL whose rules pick a backend by x-gateway-model
    RouteEntry claude = modelRule(0, "claude-x", "default/anthropic");
    RouteEntry gpt = modelRule(1, "gpt-x", "default/openai");
    stack.publish(snapshot(List.of(claude, gpt), Map.of(
        "default/anthropic", backend("default/anthropic", ProviderType.anthropic, null, AiPolicy.none()),
        "default/openai", backend("default/openai", ProviderType.openai, null, AiPolicy.none()))));
    stack.awaitReady();
    provider.answer(FakeProvider.json(200, Fixtures.text("anthropic/response-text.json")));

    // When a client names a Claude model in the body
    HttpResponse<String> response = stack.post("/v1/chat/completions",
        "{\"model\":\"claude-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    // Then the Claude rule matched, and the header stayed at the gateway
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(provider.last().path()).isEqualTo("/v1/messages");
    assertThat(provider.last().header("x-gateway-model")).isNull();

    // When another names a GPT model on the same URL, then the GPT rule matched
    provider.answer(FakeProvider.json(200, Fixtures.text("openai/response-text.json")));
    assertThat(stack.post("/v1/chat/completions",
        "{\"model\":\"gpt-x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode()).isEqualTo(200);
    assertThat(provider.last().path()).isEqualTo("/v1/chat/completions");

    // and a model no rule names matches nothing
    assertThat(stack.post("/v1/chat/completions",
        "{\"model\":\"llama\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode()).isEqualTo(404);
  }

  @Test
  void shouldExposeTheModelToAPlainHttpBackendToo() throws Exception {
    // Given a Service backend chosen by model
    RouteEntry rule = new RouteEntry("default/svc", 0, List.of("http"), List.of(),
        new RouteMatch(new RouteMatch.PathMatch(RouteMatch.PathMatch.Type.PathPrefix, "/"),
            List.of(new RouteMatch.ValueMatch(RouteMatch.ValueMatch.Type.RegularExpression, "x-gateway-model", "llama.*")),
            List.of(), null),
        List.of(), List.of(BackendRef.resolved("default/vllm:8000", 1)), null);
    stack.publish(snapshot(List.of(rule),
        Map.of("default/vllm:8000", Backend.host("default/vllm:8000", new Backend.HostBackend("127.0.0.1", provider.port(), false)))));
    stack.awaitReady();
    provider.answer(FakeProvider.json(200, "{\"ok\":true}"));
    String body = "{\"model\":\"llama-3\",\"messages\":[]}";

    // When it is called
    HttpResponse<String> response = stack.post("/v1/chat/completions", body, "Authorization", "Bearer svc-token");

    // Then the body went as it is, with the header, and without the client's credential (issue 6: a client's
    // Authorization is never forwarded; a backend's own token comes from the route's RequestHeaderModifier)
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(provider.last().body()).isEqualTo(body);
    assertThat(provider.last().header("x-gateway-model")).isEqualTo("llama-3");
    assertThat(provider.last().header("authorization")).isNull();
  }

  private static RouteEntry modelRule(int rule, String model, String backend) {
    return new RouteEntry("default/by-model", rule, List.of("http"), List.of(),
        new RouteMatch(new RouteMatch.PathMatch(RouteMatch.PathMatch.Type.PathPrefix, "/v1"),
            List.of(new RouteMatch.ValueMatch(RouteMatch.ValueMatch.Type.Exact, "x-gateway-model", model)), List.of(), null),
        List.of(), List.of(BackendRef.resolved(backend, 1)), null);
  }

  @Test
  void shouldApplyTheAiPolicyInTheClientsApiBeforeTranslating() throws Exception {
    // Given a backend with defaults, overrides, prompt messages and an alias
    AiPolicy policy = new AiPolicy(new TreeMap<>(), new TreeMap<>(Map.of("fast", "claude-haiku-4-5")),
        List.of(new FieldValue("temperature", json("0.1")), new FieldValue("max_tokens", json("50"))),
        List.of(new FieldValue("max_tokens", json("200"))),
        List.of(new PromptMessage("system", "Answer in French.")),
        List.of(new PromptMessage("user", "Be brief.")));
    serve(backend("default/anthropic", ProviderType.anthropic, null, policy));
    provider.answer(FakeProvider.json(200, Fixtures.text("anthropic/response-text.json")));

    // When an OpenAI client asks for the alias with its own max_tokens
    HttpResponse<String> response = stack.post("/v1/chat/completions",
        "{\"model\":\"fast\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "x-request-id", "policy-1");

    // Then Anthropic got the alias's model, the override, the default, and the prompt around the client's
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode sent = json(provider.last().body());
    assertThat(sent.path("model").asText()).isEqualTo("claude-haiku-4-5");
    assertThat(sent.path("max_tokens").asLong()).isEqualTo(200);
    assertThat(sent.path("temperature").asDouble()).isEqualTo(0.1);
    assertThat(sent.path("system").asText()).isEqualTo("Answer in French.");
    assertThat(sent.path("messages")).isEqualTo(json("[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"},"
        + "{\"type\":\"text\",\"text\":\"Be brief.\"}]}]"));
    UsageEvent usage = stack.usageOf("policy-1");
    assertThat(usage.requestModel()).isEqualTo("fast");
    assertThat(usage.providerModel()).isEqualTo("claude-haiku-4-5");
  }

  @Test
  void shouldApplyTheAiPolicyWhenTheProviderSpeaksTheClientsApi() throws Exception {
    AiPolicy policy = new AiPolicy(new TreeMap<>(), new TreeMap<>(), List.of(),
        List.of(new FieldValue("temperature", json("0"))), List.of(new PromptMessage("system", "Be kind.")), List.of());
    serve(backend("default/openai", ProviderType.openai, "gpt-4o", policy));
    provider.answer(FakeProvider.json(200, Fixtures.text("openai/response-text.json")));

    stack.post("/v1/chat/completions",
        "{\"temperature\":1.5,\"logit_bias\":{\"50256\":-100},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(json(provider.last().body())).isEqualTo(json("{\"temperature\":0,\"logit_bias\":{\"50256\":-100},"
        + "\"messages\":[{\"role\":\"system\",\"content\":\"Be kind.\"},{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"model\":\"gpt-4o\"}"));
  }

  @Test
  void shouldServeAResponsesClientFromAnthropicBothWays() throws Exception {
    // Given a Responses route to Anthropic
    serve(backend("default/anthropic", ProviderType.anthropic, "claude-sonnet-4-5", routes(EVERY_CLIENT_API)));
    provider.answer(FakeProvider.json(200, Fixtures.text("anthropic/response-tool-use.json")));

    // When a Responses client asks, with its own key
    HttpResponse<String> response = stack.post("/v1/responses", Fixtures.text("openai/responses-request-tools.json")
        .replace("\"stream\": true", "\"stream\": false"), "Authorization", "Bearer sk-client", "x-request-id", "resp-1");

    // Then Anthropic got Messages, and the client a Responses object with the tool call
    assertThat(provider.last().path()).isEqualTo("/v1/messages");
    assertThat(provider.last().header("x-api-key")).isEqualTo(PROVIDER_KEY);
    assertThat(provider.last().header("authorization")).isNull();
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode answer = json(response.body());
    assertThat(answer.path("object").asText()).isEqualTo("response");
    assertThat(answer.at("/output/1/type").asText()).isEqualTo("function_call");
    assertThat(answer.at("/output/1/call_id").asText()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
    assertThat(answer.at("/usage/input_tokens").asLong()).isEqualTo(384);
    UsageEvent usage = stack.usageOf("resp-1");
    assertThat(usage.clientApi()).isEqualTo("openai.responses");
    assertThat(usage.tokens().outputTokens()).isEqualTo(95);

    // When it streams, then the Anthropic stream comes back as Responses events
    provider.answer(FakeProvider.sse(List.of(Fixtures.text("anthropic/stream-text.sse")), null, false));
    HttpResponse<String> stream = stack.post("/v1/responses", "{\"input\":\"Hello\",\"stream\":true}");
    assertThat(stream.body()).startsWith("event: response.created\n")
        .contains("event: response.output_text.delta", "\"delta\":\"Hello\"")
        .contains("event: response.completed");
  }

  @Test
  void shouldSendAResponsesClientToOpenAisOwnResponsesApiUnchanged() throws Exception {
    serve(backend("default/openai", ProviderType.openai, "gpt-4.1", routes(EVERY_CLIENT_API)));
    String answer = Fixtures.text("openai/responses-response-tool-call.json");
    provider.answer(FakeProvider.json(200, answer));
    String body = "{\"model\":\"x\",\"input\":\"hi\",\"previous_response_id\":\"resp_0\",\"tools\":[{\"type\":\"web_search\"}]}";

    HttpResponse<String> response = stack.post("/v1/responses", body, "x-request-id", "resp-2");

    assertThat(provider.last().path()).isEqualTo("/v1/responses");
    assertThat(json(provider.last().body())).isEqualTo(json(body.replace("\"x\"", "\"gpt-4.1\"")));
    assertThat(response.body()).isEqualTo(answer);
    assertThat(stack.usageOf("resp-2").tokens().cacheReadInputTokens()).isEqualTo(128);
  }

  @Test
  void shouldRefuseStoredResponsesStateForAProviderThatCannotServeIt() throws Exception {
    serve(backend("default/anthropic", ProviderType.anthropic, "claude-sonnet-4-5", routes(EVERY_CLIENT_API)));

    HttpResponse<String> response = stack.post("/v1/responses", "{\"input\":\"hi\",\"previous_response_id\":\"resp_0\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response.body()).at("/error/param").asText()).isEqualTo("previous_response_id");
    assertThat(provider.received()).isEmpty();
  }

  @Test
  void shouldServeAGeminiClientByItsPathFromAnOpenAiProvider() throws Exception {
    serve(backend("default/openai", ProviderType.openai, null, routes(EVERY_CLIENT_API)));
    provider.answer(FakeProvider.sse(List.of(Fixtures.text("openai/stream-text.sse")), null, false));

    HttpResponse<String> response = stack.post("/v1beta/models/gpt-4o:streamGenerateContent?alt=sse",
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}", "x-goog-api-key", "AIza-client");

    assertThat(provider.last().path()).isEqualTo("/v1/chat/completions");
    JsonNode sent = json(provider.last().body());
    assertThat(sent.path("model").asText()).isEqualTo("gpt-4o");
    assertThat(sent.path("stream").asBoolean()).isTrue();
    assertThat(provider.last().header("x-goog-api-key")).isNull();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("data: {\"candidates\":").contains("\"finishReason\":\"STOP\"")
        .contains("\"usageMetadata\"");

    // and without alt=sse the stream is refused in Gemini's error shape
    HttpResponse<String> noSse = stack.post("/v1beta/models/gpt-4o:streamGenerateContent",
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}");
    assertThat(noSse.statusCode()).isEqualTo(400);
    assertThat(json(noSse.body()).at("/error/status").asText()).isEqualTo("INVALID_ARGUMENT");
  }

  @Test
  void shouldEmbedWithGeminiAndAnswerInOpenAisShapeWithEstimatedUsage() throws Exception {
    serve(backend("default/gemini", ProviderType.gemini, "gemini-embedding-001", routes(EVERY_CLIENT_API)));
    provider.answer(FakeProvider.json(200, "{\"embeddings\":[{\"values\":[0.25,-0.5]},{\"values\":[1,0]}]}"));

    HttpResponse<String> response = stack.post("/v1/embeddings",
        "{\"model\":\"text-embedding-3-small\",\"input\":[\"Kubernetes\",\"Kafka\"]}", "x-request-id", "emb-1");

    assertThat(provider.last().path()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response.body())).isEqualTo(json("{\"object\":\"list\",\"data\":["
        + "{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.25,-0.5]},"
        + "{\"object\":\"embedding\",\"index\":1,\"embedding\":[1.0,0.0]}],"
        + "\"model\":\"gemini-embedding-001\",\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}"));
    UsageEvent usage = stack.usageOf("emb-1");
    assertThat(usage.operation()).isEqualTo("embeddings");
    assertThat(usage.tokens().source()).isEqualTo(TokenUsage.Source.estimated);
    assertThat(usage.tokens().inputTokens()).as("Kubernetes (3) + Kafka (2)").isEqualTo(5);
  }

  @Test
  void shouldEmbedWithTitanOneCallPerInputJoinedInInputOrder() throws Exception {
    // Given Bedrock's Titan, which embeds one text per call, answering each text with its own vector
    serve(backend("default/bedrock", ProviderType.bedrock, "amazon.titan-embed-text-v2:0", routes(EVERY_CLIENT_API)));
    provider.answerEach(body -> {
      String text = json(body).path("inputText").asText();
      return FakeProvider.json(200, "{\"embedding\":[" + text.length() + ",0.5],\"inputTextTokenCount\":" + text.length()
          + ",\"embeddingsByType\":{\"float\":[" + text.length() + ",0.5]}}");
    });
    List<String> inputs = List.of("a", "bb", "ccc", "dddd", "eeeee", "ffffff", "ggggggg", "hhhhhhhh", "iiiiiiiii", "jjjjjjjjjj");

    // When a client embeds ten texts in one request
    HttpResponse<String> response = stack.post("/v1/embeddings",
        Json.mapper().createObjectNode().put("model", "text-embedding-3-small")
            .set("input", Json.mapper().valueToTree(inputs)).toString(), "x-request-id", "titan-1");

    // Then Titan got ten calls, each one text at InvokeModel, each signed on its own
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(provider.received()).hasSize(10).allSatisfy(call -> {
      assertThat(call.path()).isEqualTo("/model/amazon.titan-embed-text-v2%3A0/invoke");
      assertThat(call.header("authorization")).isEqualTo("Bearer " + PROVIDER_KEY);
    });
    assertThat(provider.received()).extracting(call -> json(call.body()).path("inputText").asText())
        .containsExactlyInAnyOrderElementsOf(inputs);
    // and the client one answer, its vectors in the order of its inputs, the tokens summed
    JsonNode answer = json(response.body());
    assertThat(answer.path("data")).hasSize(10);
    for (int i = 0; i < inputs.size(); i++) {
      assertThat(answer.at("/data/" + i + "/index").asInt()).isEqualTo(i);
      assertThat(answer.at("/data/" + i + "/embedding/0").asDouble()).isEqualTo(inputs.get(i).length());
    }
    assertThat(answer.at("/model").asText()).isEqualTo("amazon.titan-embed-text-v2:0");
    assertThat(answer.at("/usage/prompt_tokens").asInt()).isEqualTo(55);
    UsageEvent usage = stack.usageOf("titan-1");
    assertThat(usage.tokens().inputTokens()).isEqualTo(55);
    assertThat(usage.tokens().source()).isEqualTo(TokenUsage.Source.provider);
  }

  @Test
  void shouldAnswerASplitEmbeddingsRequestWithTheFirstFailure() throws Exception {
    // Given Titan throttling one of the texts
    serve(backend("default/bedrock", ProviderType.bedrock, "amazon.titan-embed-text-v2:0", routes(EVERY_CLIENT_API)));
    provider.answerEach(body -> json(body).path("inputText").asText().equals("two")
        ? FakeProvider.json(429, "{\"message\":\"Too many requests, please wait before trying again.\"}",
            Map.of("x-amzn-errortype", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/"))
        : FakeProvider.json(200, "{\"embedding\":[0.1],\"inputTextTokenCount\":1}"));

    // When three texts are embedded
    HttpResponse<String> response = stack.post("/v1/embeddings", "{\"input\":[\"one\",\"two\",\"three\"]}");

    // Then the client gets the throttling as OpenAI's rate-limit error, and no partial answer
    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(json(response.body()).at("/error/message").asText()).contains("Too many requests");
  }

  @Test
  void shouldSayEmbeddingsAreNotImplementedForAnthropic() throws Exception {
    serve(backend("default/anthropic", ProviderType.anthropic, "claude-x", routes(EVERY_CLIENT_API)));

    HttpResponse<String> response = stack.post("/v1/embeddings", "{\"input\":\"x\"}");

    assertThat(response.statusCode()).isEqualTo(501);
    assertThat(json(response.body()).at("/error/message").asText())
        .isEqualTo("embeddings: provider type anthropic has no embeddings API Tollway can call");
  }

  @Test
  void shouldCountTokensWithTheProviderOrEstimateThemClearlyMarked() throws Exception {
    // Given Anthropic behind the count route
    serve(backend("default/anthropic", ProviderType.anthropic, "claude-sonnet-4-5", routes(EVERY_CLIENT_API)));
    provider.answer(FakeProvider.json(200, "{\"input_tokens\":14}"));
    String body = "{\"model\":\"claude-x\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, world\"}]}";

    // When counted, then Anthropic counted it
    HttpResponse<String> counted = stack.post("/v1/messages/count_tokens", body, "Authorization", "Bearer sk-client");
    assertThat(provider.last().path()).isEqualTo("/v1/messages/count_tokens");
    assertThat(json(provider.last().body())).isEqualTo(json(body.replace("claude-x", "claude-sonnet-4-5")));
    assertThat(counted.body()).isEqualTo("{\"input_tokens\":14}");
    assertThat(counted.headers().firstValue("x-tollway-token-count")).hasValue("provider");

    // Given an OpenAI backend, when counted, then the gateway estimates without calling it, and says so
    serve(backend("default/openai", ProviderType.openai, "gpt-4o", routes(EVERY_CLIENT_API)));
    int calls = provider.received().size();
    HttpResponse<String> estimated = stack.post("/v1/messages/count_tokens", body);
    assertThat(provider.received()).hasSize(calls);
    assertThat(json(estimated.body())).isEqualTo(json("{\"input_tokens\":7,\"estimated\":true}"));
    assertThat(estimated.headers().firstValue("x-tollway-token-count")).hasValue("estimated");
  }

  @Test
  void shouldCountAGeminiClientsTokensWithGemini() throws Exception {
    serve(backend("default/gemini", ProviderType.gemini, null, routes(EVERY_CLIENT_API)));
    provider.answer(FakeProvider.json(200, "{\"totalTokens\":31}"));

    HttpResponse<String> response = stack.post("/v1beta/models/gemini-2.5-flash:countTokens",
        "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}");

    assertThat(provider.last().path()).isEqualTo("/v1beta/models/gemini-2.5-flash:countTokens");
    assertThat(json(provider.last().body()).at("/generateContentRequest/model").asText()).isEqualTo("models/gemini-2.5-flash");
    assertThat(response.body()).isEqualTo("{\"totalTokens\":31}");
  }

  @Test
  void shouldListFixedModelsAliasesAndTheProvidersOwnList() throws Exception {
    // Given a route over a Claude backend with a fixed model and an alias, and an OpenAI backend without one
    AiPolicy claudePolicy = new AiPolicy(new TreeMap<>(EVERY_CLIENT_API), new TreeMap<>(Map.of("smart", "claude-x", "gpt-*", "claude-x")));
    Backend claude = backend("default/anthropic", ProviderType.anthropic, "claude-sonnet-4-5", claudePolicy);
    Backend openai = backend("default/openai", ProviderType.openai, null, routes(EVERY_CLIENT_API));
    RouteEntry both = new RouteEntry("default/models", 0, List.of("http"), List.of(), RouteMatch.any(), List.of(),
        List.of(BackendRef.resolved("default/anthropic", 1), BackendRef.resolved("default/openai", 1)), null);
    stack.publish(snapshot(List.of(both), Map.of("default/anthropic", claude, "default/openai", openai)));
    stack.awaitReady();
    provider.answer(FakeProvider.json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o\",\"object\":\"model\","
        + "\"created\":1686935002,\"owned_by\":\"system\"}]}"));

    // When an OpenAI client lists the models, whichever backend the route picks
    HttpResponse<String> response = stack.send("GET", "/v1/models", "", "Authorization", "Bearer sk-client");

    // Then it gets all three, and the provider's list was fetched with the provider's key
    assertThat(json(response.body())).isEqualTo(json("{\"object\":\"list\",\"data\":["
        + "{\"id\":\"claude-sonnet-4-5\",\"object\":\"model\",\"created\":0,\"owned_by\":\"anthropic\"},"
        + "{\"id\":\"gpt-4o\",\"object\":\"model\",\"created\":1686935002,\"owned_by\":\"system\"},"
        + "{\"id\":\"smart\",\"object\":\"model\",\"created\":0,\"owned_by\":\"tollway\"}]}"));
    assertThat(provider.last().method()).isEqualTo("GET");
    assertThat(provider.last().path()).isEqualTo("/v1/models");
    assertThat(provider.last().header("authorization")).isEqualTo("Bearer " + PROVIDER_KEY);

    // and an Anthropic client gets Anthropic's shape
    JsonNode anthropic = json(stack.send("GET", "/v1/models", "", "anthropic-version", "2023-06-01").body());
    assertThat(anthropic.at("/data/0/type").asText()).isEqualTo("model");
    assertThat(anthropic.at("/data/0/display_name").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(anthropic.path("has_more").asBoolean()).isFalse();
    assertThat(anthropic.path("last_id").asText()).isEqualTo("smart");
  }

  @Test
  void shouldMeterAPassthroughAnthropicStreamByItsUsageEvents() throws Exception {
    serve(backend("default/anthropic", ProviderType.anthropic, null, routes(Map.of("*", "Passthrough"))));
    String stream = Fixtures.text("anthropic/stream-cache.sse");
    provider.answer(FakeProvider.sse(List.of(stream), null, false));

    HttpResponse<String> response = stack.post("/v1/messages?beta=true&key=AIza-client",
        "{\"model\":\"claude-x\",\"stream\":true,\"max_tokens\":9,\"messages\":[]}", "x-request-id", "pt-sse");

    assertThat(response.body()).isEqualTo(stream);
    assertThat(provider.last().path()).isEqualTo("/v1/messages?beta=true");
    UsageEvent usage = stack.usageOf("pt-sse");
    assertThat(usage.clientApi()).isEqualTo("passthrough");
    assertThat(usage.streamed()).isTrue();
    assertThat(usage.tokens().source()).isEqualTo(TokenUsage.Source.provider);
    assertThat(usage.tokens().inputTokens()).isPositive();
    assertThat(usage.tokens().streamCompleted()).isTrue();
  }
}
