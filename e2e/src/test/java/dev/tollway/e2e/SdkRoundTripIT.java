package dev.tollway.e2e;

import static dev.tollway.e2e.support.SdkClients.CLIENT_KEY;
import static dev.tollway.e2e.support.SdkClients.WEATHER;
import static dev.tollway.e2e.support.SdkClients.anthropicWeatherTool;
import static dev.tollway.e2e.support.SdkClients.weatherFunction;
import static dev.tollway.e2e.support.TollwayStack.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.anthropic.client.AnthropicClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import dev.tollway.e2e.support.GeminiRest;
import dev.tollway.e2e.support.KafkaFixture;
import dev.tollway.e2e.support.SdkClients;
import dev.tollway.e2e.support.TollwayStack;
import dev.tollway.local.fake.FakeBehaviour;
import dev.tollway.local.fake.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official SDKs through the whole pipeline (YAML → config-service → Kafka → edge-proxy) to fake providers
 * that speak each real wire format: the OpenAI Java SDK (chat with tools and streaming, embeddings, models,
 * responses) to OpenAI, Azure OpenAI, Anthropic and Gemini; the Anthropic Java SDK (messages with tools and
 * streaming, count_tokens) to Anthropic, OpenAI, Azure OpenAI and Gemini; a Gemini REST client (generate and
 * stream, its key in the query) to all four. Each test asserts what the provider received and what the SDK saw.
 * Bedrock and Vertex AI: {@link CloudSdkRoundTripIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkRoundTripIT {


  @RegisterExtension
  static final KafkaFixture KAFKA = new KafkaFixture();

  private TollwayStack tollway;
  private final SdkClients sdk = new SdkClients(() -> tollway.gatewayUrl());

  @BeforeAll
  void startTollway() {
    tollway = TollwayStack.start(KAFKA);
    tollway.apply("tutorial/01-gateway.yaml");
    tollway.apply("sdk/secrets.yaml");
    tollway.apply("sdk/backends.yaml");
    tollway.apply("sdk/routes.yaml");
    String probe = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      for (String prefix : List.of("/openai", "/azure", "/anthropic", "/gemini")) {
        assertThat(tollway.post(prefix + "/v1/chat/completions", probe).statusCode()).as(prefix).isEqualTo(200);
      }
    });
  }

  @AfterAll
  void stopTollway() {
    sdk.close();
    if (tollway != null) {
      tollway.close();
    }
  }

  @BeforeEach
  void forgetRequests() {
    tollway.fake().clearRequests();
    tollway.fake().resetBehaviours();
  }

  // ---- OpenAI SDK: chat ----------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"openai", "azure", "anthropic", "gemini"})
  void openAiChatWithToolsShouldRoundTripToEveryProvider(String provider) {
    // Given the OpenAI SDK and a weather tool
    OpenAIClient client = sdk.openAi("/" + provider + "/v1");
    ChatCompletionCreateParams first = ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini").addSystemMessage("You are a weather bot.").addUserMessage(WEATHER)
        .addFunctionTool(weatherFunction()).build();

    // When it asks, then the model calls the tool with arguments from its schema
    ChatCompletion called = client.chat().completions().create(first);
    ChatCompletionMessage message = called.choices().get(0).message();
    ChatCompletionMessageFunctionToolCall call = message.toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(json(call.function().arguments())).isEqualTo(json("{\"city\":\"Paris\"}"));
    assertThat(called.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
    RecordedRequest firstUpstream = last(provider);
    assertThat(called.usage().orElseThrow().promptTokens()).isEqualTo(firstUpstream.reply().inputTokens());

    // When the tool's result goes back, then the provider gets it in its own form, and the SDK the answer
    ChatCompletion answered = client.chat().completions().create(first.toBuilder()
        .addMessage(message)
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("18 degrees, sunny").build())
        .build());
    RecordedRequest second = last(provider);
    JsonNode sent = second.json();
    switch (provider) {
      case "anthropic" -> {
        assertThat(sent.at("/system").asText()).isEqualTo("You are a weather bot.");
        assertThat(sent.at("/messages/1/content/0/type").asText()).isEqualTo("tool_use");
        assertThat(sent.at("/messages/2/content/0/type").asText()).isEqualTo("tool_result");
        assertThat(sent.at("/messages/2/content/0/tool_use_id").asText()).isEqualTo(call.id());
        assertThat(sent.at("/messages/2/content/0/content").asText()).isEqualTo("18 degrees, sunny");
      }
      case "gemini" -> {
        assertThat(second.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(sent.at("/systemInstruction/parts/0/text").asText()).isEqualTo("You are a weather bot.");
        assertThat(sent.at("/contents/1/parts/0/functionCall/name").asText()).isEqualTo("get_weather");
        assertThat(sent.at("/contents/2/parts/0/functionResponse/name").asText()).isEqualTo("get_weather");
      }
      default -> {
        assertThat(sent.at("/messages/3/role").asText()).isEqualTo("tool");
        assertThat(sent.at("/messages/3/tool_call_id").asText()).isEqualTo(call.id());
      }
    }
    assertThat(answered.choices().get(0).message().content().orElseThrow()).startsWith("Kubernetes is");
    assertThat(answered.choices().get(0).finishReason().asString()).isEqualTo("stop");
    assertNoClientKey(firstUpstream, second);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"openai", "azure", "anthropic", "gemini"})
  void openAiChatShouldStreamToolCallsAndUsageFromEveryProvider(String provider) {
    OpenAIClient client = sdk.openAi("/" + provider + "/v1");
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini").addUserMessage(WEATHER).addFunctionTool(weatherFunction())
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();

    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(accumulator::accumulate);
    }

    ChatCompletion streamed = accumulator.chatCompletion();
    ChatCompletionMessageFunctionToolCall call =
        streamed.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
    assertThat(json(call.function().arguments())).isEqualTo(json("{\"city\":\"Paris\"}"));
    assertThat(streamed.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
    RecordedRequest upstream = last(provider);
    assertThat(upstream.reply().stream()).isTrue();
    assertThat(streamed.usage().orElseThrow().promptTokens()).isEqualTo(upstream.reply().inputTokens());
    assertThat(streamed.usage().orElseThrow().completionTokens()).isEqualTo(upstream.reply().outputTokens());
  }

  @Test
  void openAiChatShouldStreamTextInPiecesFromAnthropic() {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    int[] chunks = {0};
    try (StreamResponse<ChatCompletionChunk> stream = sdk.openAi("/anthropic/v1").chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model("claude-sonnet-4-5").addUserMessage("What is Kubernetes?").build())) {
      stream.stream().forEach(chunk -> {
        chunks[0]++;
        accumulator.accumulate(chunk);
      });
    }

    assertThat(chunks[0]).isGreaterThan(5);
    assertThat(accumulator.chatCompletion().choices().get(0).message().content().orElseThrow())
        .isEqualTo("Kubernetes is an open-source container orchestration platform. (fake anthropic answering "
            + "claude-sonnet-4-5)");
  }

  // ---- OpenAI SDK: embeddings and models -------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"openai", "azure", "gemini"})
  void openAiEmbeddingsShouldRoundTripToEveryProviderWithEmbeddings(String provider) {
    CreateEmbeddingResponse response = sdk.openAi("/" + provider + "/v1").embeddings().create(EmbeddingCreateParams.builder()
        .model("text-embedding-3-small").inputOfArrayOfStrings(List.of("Kubernetes", "Kafka")).dimensions(16).build());

    assertThat(response.data()).hasSize(2);
    assertThat(response.data().get(0).embedding()).hasSize(16);
    assertThat(response.data().get(0).embedding()).isNotEqualTo(response.data().get(1).embedding());
    RecordedRequest upstream = last(provider);
    assertThat(upstream.path()).isEqualTo(switch (provider) {
      case "gemini" -> "/v1beta/models/gemini-embedding-001:batchEmbedContents";
      case "azure" -> "/openai/v1/embeddings";
      default -> "/v1/embeddings";
    });
    assertThat(response.usage().promptTokens()).isEqualTo(upstream.reply().inputTokens());
  }

  @Test
  void openAiEmbeddingsShouldBeRefusedClearlyForAnthropic() {
    assertThatThrownBy(() -> sdk.openAi("/anthropic/v1").embeddings().create(EmbeddingCreateParams.builder()
        .model("text-embedding-3-small").input("Kubernetes").build()))
        .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(501);
          assertThat(e.getMessage()).contains("has no embeddings API");
        });
    assertThat(tollway.fake().requests()).isEmpty();
  }

  @Test
  void openAiModelsShouldListTheProvidersOwnListAndTheAliases() {
    List<String> anthropic = sdk.openAi("/anthropic/v1").models().list().data().stream().map(Model::id).toList();
    List<String> openai = sdk.openAi("/openai/v1").models().list().data().stream().map(Model::id).toList();

    assertThat(anthropic).as("the provider's models, then the aliases")
        .containsExactly("claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001", "gpt-4o-mini");
    assertThat(openai).containsExactly("gpt-4o", "gpt-4o-mini", "text-embedding-3-small");
    assertThat(last("anthropic").header("x-api-key")).hasValue("test-anthropic-key");
    List<String> azure = sdk.openAi("/azure/v1").models().list().data().stream().map(Model::id).toList();
    List<String> gemini = sdk.openAi("/gemini/v1").models().list().data().stream().map(Model::id).toList();
    assertThat(azure).containsExactly("gpt-4o", "gpt-4o-mini", "text-embedding-3-small");
    assertThat(last("azure").path()).isEqualTo("/openai/v1/models");
    assertThat(gemini).as("the provider's models, then the exact aliases")
        .containsExactly("gemini-2.5-flash", "gemini-embedding-001", "gpt-4o-mini", "text-embedding-3-small");
    assertThat(last("gemini").path()).isEqualTo("/v1beta/models");
  }

  // ---- OpenAI SDK: responses -----------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"openai", "azure", "anthropic", "gemini"})
  void openAiResponsesWithToolsShouldRoundTripToEveryProvider(String provider) {
    OpenAIClient client = sdk.openAi("/" + provider + "/v1");
    ResponseCreateParams first = ResponseCreateParams.builder().model("gpt-4o-mini").input(WEATHER)
        .addTool(weatherTool()).build();

    Response called = client.responses().create(first);
    ResponseFunctionToolCall call = called.output().stream().map(ResponseOutputItem::functionCall)
        .flatMap(java.util.Optional::stream).findFirst().orElseThrow();
    assertThat(json(call.arguments())).isEqualTo(json("{\"city\":\"Paris\"}"));
    RecordedRequest upstream = last(provider);
    assertThat(upstream.path()).isEqualTo(switch (provider) {
      case "openai" -> "/v1/responses";
      case "azure" -> "/openai/v1/responses";
      case "anthropic" -> "/v1/messages";
      default -> "/v1beta/models/gemini-2.5-flash:generateContent";
    });
    assertThat(called.usage().orElseThrow().inputTokens()).isEqualTo(upstream.reply().inputTokens());

    Response answered = client.responses().create(ResponseCreateParams.builder().model("gpt-4o-mini")
        .inputOfResponse(List.of(
            ResponseInputItem.ofEasyInputMessage(com.openai.models.responses.EasyInputMessage.builder()
                .role(com.openai.models.responses.EasyInputMessage.Role.USER).content(WEATHER).build()),
            ResponseInputItem.ofFunctionCall(call),
            ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                .callId(call.callId()).output("18 degrees, sunny").build())))
        .addTool(weatherTool()).build());
    assertThat(text(answered)).startsWith("Kubernetes is");
    assertThat(answered.status()).hasValue(ResponseStatus.COMPLETED);
    if (provider.equals("anthropic")) {
      assertThat(last(provider).json().at("/messages/2/content/0/type").asText()).isEqualTo("tool_result");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"openai", "azure", "anthropic", "gemini"})
  void openAiResponsesShouldStreamEventsTheSdkCanAccumulate(String provider) {
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    int[] deltas = {0};
    try (StreamResponse<ResponseStreamEvent> stream = sdk.openAi("/" + provider + "/v1").responses().createStreaming(
        ResponseCreateParams.builder().model("gpt-4o-mini").input("What is Kubernetes?").build())) {
      stream.stream().forEach(event -> {
        event.outputTextDelta().ifPresent(delta -> deltas[0]++);
        accumulator.accumulate(event);
      });
    }

    Response response = accumulator.response();
    assertThat(deltas[0]).isGreaterThan(1);
    assertThat(text(response)).startsWith("Kubernetes is an open-source container orchestration platform.");
    assertThat(response.status()).hasValue(ResponseStatus.COMPLETED);
    RecordedRequest upstream = last(provider);
    assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(upstream.reply().outputTokens());
  }

  // ---- Anthropic SDK --------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"anthropic", "openai", "azure", "gemini"})
  void anthropicMessagesWithToolsShouldRoundTrip(String provider) {
    AnthropicClient client = sdk.anthropic("/" + provider);
    MessageCreateParams first = MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(1024)
        .system("You are a weather bot.").addUserMessage(WEATHER).addTool(anthropicWeatherTool()).build();

    Message called = client.messages().create(first);
    ToolUseBlock use = called.content().stream().map(ContentBlock::toolUse).flatMap(java.util.Optional::stream)
        .findFirst().orElseThrow();
    assertThat(use.name()).isEqualTo("get_weather");
    assertThat(called.stopReason()).hasValue(StopReason.TOOL_USE);
    RecordedRequest upstream = last(provider);
    assertThat(upstream.path()).isEqualTo(chatPath(provider));
    assertThat(upstream.header("authorization").orElse("")).doesNotContain(CLIENT_KEY);

    Message answered = client.messages().create(first.toBuilder()
        .addMessage(called)
        .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
            ToolResultBlockParam.builder().toolUseId(use.id()).content("18 degrees, sunny").build())))
        .build());
    RecordedRequest second = last(provider);
    if (provider.equals("openai") || provider.equals("azure")) {
      assertThat(second.json().at("/messages/0/role").asText()).isEqualTo("system");
      assertThat(second.json().at("/messages/2/tool_calls/0/id").asText()).isEqualTo(use.id());
      assertThat(second.json().at("/messages/3/role").asText()).isEqualTo("tool");
    }
    if (provider.equals("gemini")) {
      assertThat(second.json().at("/systemInstruction/parts/0/text").asText()).isEqualTo("You are a weather bot.");
      assertThat(second.json().at("/contents/2/parts/0/functionResponse/name").asText()).isEqualTo("get_weather");
    }
    assertThat(answered.content().get(0).text().orElseThrow().text()).startsWith("Kubernetes is");
    assertThat(answered.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(answered.usage().outputTokens()).isEqualTo(second.reply().outputTokens());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"anthropic", "openai", "azure", "gemini"})
  void anthropicMessagesShouldStreamToolUse(String provider) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> stream = sdk.anthropic("/" + provider).messages()
        .createStreaming(MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(1024)
            .addUserMessage(WEATHER).addTool(anthropicWeatherTool()).build())) {
      stream.stream().forEach(accumulator::accumulate);
    }

    Message message = accumulator.message();
    ToolUseBlock use = message.content().stream().map(ContentBlock::toolUse).flatMap(java.util.Optional::stream)
        .findFirst().orElseThrow();
    assertThat(use._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
    assertThat(message.stopReason()).hasValue(StopReason.TOOL_USE);
    assertThat(message.usage().inputTokens()).isEqualTo(last(provider).reply().inputTokens());
  }

  @Test
  void anthropicCountTokensShouldAskAnthropicAndEstimateForOpenAi() {
    MessageCountTokensParams params = MessageCountTokensParams.builder().model("claude-sonnet-4-5")
        .system("You are a weather bot.").addUserMessage(WEATHER).build();

    long counted = sdk.anthropic("/anthropic").messages().countTokens(params).inputTokens();
    RecordedRequest upstream = last("anthropic");
    long byGemini = sdk.anthropic("/gemini").messages().countTokens(params).inputTokens();
    RecordedRequest geminiUpstream = last("gemini");
    long estimated = sdk.anthropic("/openai").messages().countTokens(params).inputTokens();

    assertThat(upstream.path()).isEqualTo("/v1/messages/count_tokens");
    assertThat(counted).isEqualTo(upstream.reply().inputTokens());
    assertThat(geminiUpstream.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:countTokens");
    assertThat(byGemini).isEqualTo(geminiUpstream.reply().inputTokens());
    assertThat(estimated).isPositive();
    assertThat(tollway.fake().requests()).as("an estimate calls no provider").hasSize(2);
  }

  // ---- a Gemini client ------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"openai", "azure", "anthropic", "gemini"})
  void geminiRestClientShouldGenerateAndStreamFromEveryProvider(String provider) {
    // Given a Gemini client, its model in the path and its key in the query
    GeminiRest gemini = new GeminiRest(tollway, "/" + provider);
    String model = provider.equals("gemini") ? "gemini-2.5-flash" : "gpt-4o-mini";

    // When it generates and streams
    GeminiRest.Answer answer = gemini.generate(model, "What is Kubernetes?", CLIENT_KEY);
    RecordedRequest generated = last(provider);
    GeminiRest.Answer streamed = gemini.stream(model, "What is Kubernetes?", CLIENT_KEY);
    RecordedRequest stream = last(provider);

    // Then each provider was called in its own API, and the client read Gemini's shapes
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(generated.path()).isEqualTo(chatPath(provider));
    assertThat(answer.text()).startsWith("Kubernetes is an open-source container orchestration platform.");
    assertThat(answer.finishReason()).isEqualTo("STOP");
    assertThat(answer.usageMetadata().path("promptTokenCount").asInt()).isEqualTo(generated.reply().inputTokens());
    assertThat(streamed.status()).as(streamed.body()).isEqualTo(200);
    assertThat(stream.reply().stream()).isTrue();
    assertThat(streamed.chunks()).isGreaterThan(1);
    assertThat(streamed.text()).isEqualTo(answer.text());
    assertThat(streamed.finishReason()).isEqualTo("STOP");
    // and the key went nowhere
    assertThat(stream.query()).doesNotContain(CLIENT_KEY);
    assertNoClientKey(generated, stream);

    // When it counts tokens, then the provider's own counter answers, or the gateway estimates (OpenAI, Azure)
    tollway.fake().clearRequests();
    long counted = gemini.countTokens(model, "What is Kubernetes?", CLIENT_KEY);
    assertThat(counted).isPositive();
    switch (provider) {
      case "anthropic" -> assertThat(last(provider).path()).isEqualTo("/v1/messages/count_tokens");
      case "gemini" -> assertThat(last(provider).path()).isEqualTo("/v1beta/models/gemini-2.5-flash:countTokens");
      default -> assertThat(tollway.fake().requests()).as("an estimate calls no provider").isEmpty();
    }
    if (!tollway.fake().requests().isEmpty()) {
      assertThat(counted).isEqualTo(last(provider).reply().inputTokens());
    }
  }

  // ---- routing by model, errors ---------------------------------------------------------------------------

  @Test
  void oneUrlShouldServeManyModelsByTheBodysModel() {
    OpenAIClient client = sdk.openAi("/any/v1");

    ChatCompletion claude = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("claude-sonnet-4-5").addUserMessage("What is Kubernetes?").build());
    ChatCompletion gemini = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gemini-2.5-flash").addUserMessage("What is Kubernetes?").build());
    ChatCompletion gpt = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gpt-4o").addUserMessage("What is Kubernetes?").build());

    assertThat(claude.choices().get(0).message().content().orElseThrow()).contains("fake anthropic answering claude-sonnet-4-5");
    assertThat(gemini.choices().get(0).message().content().orElseThrow()).contains("fake gemini answering gemini-2.5-flash");
    assertThat(gpt.choices().get(0).message().content().orElseThrow()).contains("fake openai answering gpt-4o");
    assertThat(tollway.fake().requests()).allSatisfy(r -> assertThat(r.header("x-gateway-model")).isEmpty());
  }

  @Test
  void aProviderRateLimitShouldReachEachSdkAsOneItUnderstands() {
    tollway.fake().enqueue(FakeBehaviour.failWith(429).withRetryAfter(7));
    tollway.fake().enqueue(FakeBehaviour.failWith(429).withRetryAfter(7));

    assertThatThrownBy(() -> sdk.openAi("/anthropic/v1").chat().completions().create(ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini").addUserMessage("hi").build()))
        .isInstanceOfSatisfying(RateLimitException.class,
            e -> assertThat(e.headers().values("retry-after")).containsExactly("7"));
    assertThatThrownBy(() -> sdk.anthropic("/gemini").messages().create(MessageCreateParams.builder()
        .model("claude-sonnet-4-5").maxTokens(10).addUserMessage("hi").build()))
        .isInstanceOf(com.anthropic.errors.RateLimitException.class);
  }

  // ---- helpers ------------------------------------------------------------------------------------------

  private static FunctionTool weatherTool() {
    return FunctionTool.builder().name("get_weather").description("The current weather in a city.").strict(false)
        .parameters(FunctionTool.Parameters.builder()
            .putAdditionalProperty("type", JsonValue.from("object"))
            .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
            .putAdditionalProperty("required", JsonValue.from(List.of("city")))
            .build())
        .build();
  }

  private static String text(Response response) {
    StringBuilder text = new StringBuilder();
    for (ResponseOutputItem item : response.output()) {
      item.message().ifPresent(message -> message.content().forEach(
          content -> content.outputText().ifPresent(part -> text.append(part.text()))));
    }
    return text.toString();
  }

  /** The chat path of a provider's fake (Gemini's for its default model). */
  private static String chatPath(String provider) {
    return switch (provider) {
      case "anthropic" -> "/v1/messages";
      case "azure" -> "/openai/v1/chat/completions";
      case "gemini" -> "/v1beta/models/gemini-2.5-flash:generateContent";
      default -> "/v1/chat/completions";
    };
  }

  /** The last request a provider's fake received (Azure's is the OpenAI fake on Azure's paths). */
  private RecordedRequest last(String provider) {
    String name = provider.equals("azure") ? "azureopenai" : provider;
    List<RecordedRequest> requests = tollway.fake().requests().stream().filter(r -> name.equals(r.provider())).toList();
    assertThat(requests).as("requests to the fake " + name).isNotEmpty();
    return requests.get(requests.size() - 1);
  }

  private static void assertNoClientKey(RecordedRequest... requests) {
    for (RecordedRequest request : requests) {
      assertThat(request.headers().values().stream().flatMap(List::stream)).noneMatch(v -> v.contains(CLIENT_KEY));
    }
  }
}
