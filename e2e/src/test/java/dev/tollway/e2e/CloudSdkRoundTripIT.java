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
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
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
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import dev.tollway.e2e.support.GeminiRest;
import dev.tollway.e2e.support.KafkaFixture;
import dev.tollway.e2e.support.SdkClients;
import dev.tollway.e2e.support.TollwayStack;
import dev.tollway.local.fake.FakeProviderServer;
import dev.tollway.local.fake.FakeServiceAccount;
import dev.tollway.local.fake.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The official SDKs (and a Gemini REST client) through the whole pipeline to the cloud fakes, which check what
 * the real services check:
 * Bedrock verifies every request's SigV4 signature with the AWS SDK's own signer (so a request Tollway signs
 * wrongly fails), and Vertex AI takes only access tokens its Google token endpoint issued for a JWT signed
 * with the service account's key (a throwaway key generated here). The OpenAI Java SDK (chat with tools,
 * streaming, responses, embeddings) and the Anthropic Java SDK (messages with tools, streaming,
 * count_tokens) reach Bedrock (Converse, the binary ConverseStream, Titan embeddings) and Vertex AI (Gemini
 * and Claude publisher models). Each test asserts the upstream request — path, signed or authorized
 * headers, translated body — and what the SDK saw.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudSdkRoundTripIT {

  private static final String ACCESS_KEY_ID = "ASIAFAKETOLLWAYE2E01";
  private static final String SECRET_ACCESS_KEY = "e2eTollwaySecretAccessKey/00000000000000000";
  private static final String SESSION_TOKEN = "FwoGZXIvYXdzEFAKE//tollway-e2e-session-token";
  private static final String BEDROCK_CLAUDE = "anthropic.claude-sonnet-4-5-20250929-v1:0";
  private static final String BEDROCK_CLAUDE_PATH = "/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0";
  private static final String VERTEX_PREFIX = "/v1/projects/tollway-test/locations/us-central1/publishers/";
  private static final String VERTEX_CLAUDE_MODEL = "claude-sonnet-4-5@20250929";

  /** Where a test sends its requests: a backend, the model the clients name, and what the provider runs. */
  enum Cloud {
    BEDROCK("/bedrock", "bedrock", "claude-sonnet-4-5", BEDROCK_CLAUDE),
    VERTEX_GEMINI("/vertex", "vertexai", "gemini-2.5-flash", "gemini-2.5-flash"),
    VERTEX_CLAUDE("/vertex", "vertexai", "claude-sonnet-4-5", VERTEX_CLAUDE_MODEL);

    final String prefix;
    final String fake;
    final String model;
    final String providerModel;

    Cloud(String prefix, String fake, String model, String providerModel) {
      this.prefix = prefix;
      this.fake = fake;
      this.model = model;
      this.providerModel = providerModel;
    }

    /** The upstream path of a chat call. */
    String chatPath(boolean stream) {
      return switch (this) {
        case BEDROCK -> BEDROCK_CLAUDE_PATH + (stream ? "/converse-stream" : "/converse");
        case VERTEX_GEMINI -> VERTEX_PREFIX + "google/models/gemini-2.5-flash" + (stream ? ":streamGenerateContent" : ":generateContent");
        case VERTEX_CLAUDE -> VERTEX_PREFIX + "anthropic/models/" + VERTEX_CLAUDE_MODEL
            + (stream ? ":streamRawPredict" : ":rawPredict");
      };
    }
  }

  @RegisterExtension
  static final KafkaFixture KAFKA = new KafkaFixture();

  private TollwayStack tollway;
  private final SdkClients sdk = new SdkClients(() -> tollway.gatewayUrl());

  @BeforeAll
  void startTollway() {
    tollway = TollwayStack.start(KAFKA);
    FakeProviderServer fake = tollway.fake();
    // AWS knows these temporary credentials; Google knows this service account by its public key
    fake.trustAwsKey(ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN);
    FakeServiceAccount account = FakeServiceAccount.generate("tollway-e2e@tollway-test.iam.gserviceaccount.com");
    fake.trustServiceAccount(account.clientEmail(), account.publicKey());
    tollway.apply("tutorial/01-gateway.yaml");
    tollway.applyYaml("cloud-secrets.yaml", secrets(account.keyFileJson("tollway-test", fake.tokenUri())));
    tollway.apply("sdk/clouds.yaml");
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      for (Cloud cloud : Cloud.values()) {
        String probe = "{\"model\":\"" + cloud.model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(tollway.post(cloud.prefix + "/v1/chat/completions", probe).statusCode()).as(cloud.name()).isEqualTo(200);
      }
    });
  }

  private static String secrets(String serviceAccountKey) {
    return """
        apiVersion: v1
        kind: Secret
        metadata:
          name: bedrock-keys
        stringData:
          accessKey: %s
          secretKey: %s
          sessionToken: %s
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: bedrock-wrong-keys
        stringData:
          accessKey: %s
          secretKey: not-the-secret-aws-knows
          sessionToken: %s
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: vertex-key
        stringData:
          credentials.json: '%s'
        """.formatted(ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN, ACCESS_KEY_ID, SESSION_TOKEN, serviceAccountKey);
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
  @EnumSource(Cloud.class)
  void openAiChatWithToolsShouldRoundTrip(Cloud cloud) {
    // Given the OpenAI SDK and a weather tool
    OpenAIClient client = sdk.openAi(cloud.prefix + "/v1");
    ChatCompletionCreateParams first = ChatCompletionCreateParams.builder()
        .model(cloud.model).addSystemMessage("You are a weather bot.").addUserMessage(WEATHER)
        .addFunctionTool(weatherFunction()).build();

    // When it asks, then the model calls the tool with arguments from its schema
    ChatCompletion called = client.chat().completions().create(first);
    ChatCompletionMessage message = called.choices().get(0).message();
    ChatCompletionMessageFunctionToolCall call = message.toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(json(call.function().arguments())).isEqualTo(json("{\"city\":\"Paris\"}"));
    assertThat(called.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
    RecordedRequest firstUpstream = last(cloud);
    assertThat(firstUpstream.path()).isEqualTo(decoded(cloud.chatPath(false)));
    assertThat(called.usage().orElseThrow().promptTokens()).isEqualTo(firstUpstream.reply().inputTokens());

    // When the tool's result goes back, then the provider gets it in its own form, and the SDK the answer
    ChatCompletion answered = client.chat().completions().create(first.toBuilder()
        .addMessage(message)
        .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("18 degrees, sunny").build())
        .build());
    RecordedRequest second = last(cloud);
    JsonNode sent = second.json();
    switch (cloud) {
      case BEDROCK -> {
        assertThat(sent.at("/system/0/text").asText()).isEqualTo("You are a weather bot.");
        assertThat(sent.at("/messages/1/role").asText()).isEqualTo("assistant");
        assertThat(sent.at("/messages/1/content/0/toolUse/toolUseId").asText()).isEqualTo(call.id());
        assertThat(sent.at("/messages/2/role").asText()).isEqualTo("user");
        assertThat(sent.at("/messages/2/content/0/toolResult/toolUseId").asText()).isEqualTo(call.id());
        assertThat(sent.at("/messages/2/content/0/toolResult/content/0/text").asText()).isEqualTo("18 degrees, sunny");
        assertThat(sent.at("/toolConfig/tools/0/toolSpec/name").asText()).isEqualTo("get_weather");
      }
      case VERTEX_GEMINI -> {
        assertThat(sent.at("/systemInstruction/parts/0/text").asText()).isEqualTo("You are a weather bot.");
        assertThat(sent.at("/contents/1/parts/0/functionCall/name").asText()).isEqualTo("get_weather");
        assertThat(sent.at("/contents/2/parts/0/functionResponse/name").asText()).isEqualTo("get_weather");
      }
      case VERTEX_CLAUDE -> {
        assertThat(sent.at("/anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
        assertThat(sent.has("model")).as("the model is in the path").isFalse();
        assertThat(sent.at("/system").asText()).isEqualTo("You are a weather bot.");
        assertThat(sent.at("/messages/2/content/0/type").asText()).isEqualTo("tool_result");
        assertThat(sent.at("/messages/2/content/0/tool_use_id").asText()).isEqualTo(call.id());
      }
    }
    assertThat(answered.choices().get(0).message().content().orElseThrow())
        .isEqualTo(FakeProviderServer.replyText(cloud.fake, cloud.providerModel));
    assertThat(answered.choices().get(0).finishReason().asString()).isEqualTo("stop");
    assertThat(answered.usage().orElseThrow().completionTokens()).isEqualTo(second.reply().outputTokens());
    assertAuthenticated(cloud, firstUpstream, second);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Cloud.class)
  void openAiChatShouldStreamToolCallsAndUsage(Cloud cloud) {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model(cloud.model).addUserMessage(WEATHER).addFunctionTool(weatherFunction())
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();

    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> stream = sdk.openAi(cloud.prefix + "/v1").chat().completions().createStreaming(params)) {
      stream.stream().forEach(accumulator::accumulate);
    }

    ChatCompletion streamed = accumulator.chatCompletion();
    ChatCompletionMessageFunctionToolCall call =
        streamed.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction();
    assertThat(json(call.function().arguments())).isEqualTo(json("{\"city\":\"Paris\"}"));
    assertThat(streamed.choices().get(0).finishReason().asString()).isEqualTo("tool_calls");
    RecordedRequest upstream = last(cloud);
    assertThat(upstream.path()).isEqualTo(decoded(cloud.chatPath(true)));
    assertThat(upstream.reply().stream()).isTrue();
    assertThat(streamed.usage().orElseThrow().promptTokens()).isEqualTo(upstream.reply().inputTokens());
    assertThat(streamed.usage().orElseThrow().completionTokens()).isEqualTo(upstream.reply().outputTokens());
    if (cloud == Cloud.BEDROCK) {
      assertThat(upstream.header("accept")).hasValue("application/vnd.amazon.eventstream");
    }
    assertAuthenticated(cloud, upstream);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Cloud.class)
  void openAiChatShouldStreamTextInPieces(Cloud cloud) {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    int[] chunks = {0};
    try (StreamResponse<ChatCompletionChunk> stream = sdk.openAi(cloud.prefix + "/v1").chat().completions().createStreaming(
        ChatCompletionCreateParams.builder().model(cloud.model).addUserMessage("What is Kubernetes?").build())) {
      stream.stream().forEach(chunk -> {
        chunks[0]++;
        accumulator.accumulate(chunk);
      });
    }

    assertThat(chunks[0]).isGreaterThan(5);
    assertThat(accumulator.chatCompletion().choices().get(0).message().content().orElseThrow())
        .isEqualTo(FakeProviderServer.replyText(cloud.fake, cloud.providerModel));
    assertThat(accumulator.chatCompletion().choices().get(0).finishReason().asString()).isEqualTo("stop");
  }

  // ---- OpenAI SDK: responses and embeddings --------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @EnumSource(Cloud.class)
  void openAiResponsesShouldStreamEventsTheSdkCanAccumulate(Cloud cloud) {
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    try (StreamResponse<ResponseStreamEvent> stream = sdk.openAi(cloud.prefix + "/v1").responses().createStreaming(
        ResponseCreateParams.builder().model(cloud.model).input("What is Kubernetes?").build())) {
      stream.stream().forEach(accumulator::accumulate);
    }

    Response response = accumulator.response();
    StringBuilder text = new StringBuilder();
    for (ResponseOutputItem item : response.output()) {
      item.message().ifPresent(message -> message.content().forEach(
          content -> content.outputText().ifPresent(part -> text.append(part.text()))));
    }
    assertThat(text.toString()).isEqualTo(FakeProviderServer.replyText(cloud.fake, cloud.providerModel));
    assertThat(response.status()).hasValue(ResponseStatus.COMPLETED);
    RecordedRequest upstream = last(cloud);
    assertThat(upstream.path()).isEqualTo(decoded(cloud.chatPath(true)));
    assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(upstream.reply().outputTokens());
  }

  @Test
  void openAiEmbeddingsShouldReachTitanOneSignedCallPerInputJoinedInOrder() {
    // Given the OpenAI SDK and Bedrock's Titan Text Embeddings V2 (one text per call)
    OpenAIClient client = sdk.openAi("/bedrock/v1");
    List<String> inputs = List.of("Kubernetes", "Kafka", "Tollway");

    // When it embeds three texts, and then the second alone
    CreateEmbeddingResponse batch = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("text-embedding-3-small").inputOfArrayOfStrings(inputs).dimensions(256).build());
    List<RecordedRequest> calls = tollway.fake().requests().stream().filter(r -> "bedrock".equals(r.provider())).toList();
    CreateEmbeddingResponse single = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("text-embedding-3-small").input("Kafka").dimensions(256).build());

    // Then Titan got one signed InvokeModel call per text, in Titan's own body
    assertThat(calls).hasSize(3).allSatisfy(call -> {
      assertThat(call.path()).isEqualTo("/model/amazon.titan-embed-text-v2:0/invoke");
      assertThat(call.reply().status()).isEqualTo(200);
      assertThat(call.json().path("dimensions").asInt()).isEqualTo(256);
    });
    assertThat(calls).extracting(call -> call.json().path("inputText").asText()).containsExactlyInAnyOrderElementsOf(inputs);
    assertAuthenticated(Cloud.BEDROCK, calls.toArray(RecordedRequest[]::new));
    // and the SDK one answer: a vector per input, in the inputs' order, the tokens of every call summed
    assertThat(batch.data()).hasSize(3);
    assertThat(batch.data()).allSatisfy(embedding -> assertThat(embedding.embedding()).hasSize(256));
    assertThat(batch.data().get(1).embedding()).isEqualTo(single.data().get(0).embedding());
    assertThat(batch.data().get(0).embedding()).isNotEqualTo(batch.data().get(1).embedding());
    assertThat(batch.model()).isEqualTo("amazon.titan-embed-text-v2:0");
    assertThat(batch.usage().promptTokens()).isEqualTo(calls.stream().mapToLong(c -> c.reply().inputTokens()).sum());
  }

  @Test
  void openAiEmbeddingsShouldReachCohereOnBedrockInOneBatchWithEstimatedTokens() {
    CreateEmbeddingResponse response = sdk.openAi("/bedrock/v1").embeddings().create(EmbeddingCreateParams.builder()
        .model("cohere.embed-english-v3").inputOfArrayOfStrings(List.of("Kubernetes", "Kafka")).build());

    RecordedRequest upstream = last(Cloud.BEDROCK);
    assertThat(tollway.fake().requests()).hasSize(1);
    assertThat(upstream.path()).isEqualTo("/model/cohere.embed-english-v3/invoke");
    assertThat(upstream.json()).isEqualTo(json(
        "{\"texts\":[\"Kubernetes\",\"Kafka\"],\"input_type\":\"search_document\"}"));
    assertThat(response.data()).hasSize(2);
    assertThat(response.data().get(0).embedding()).hasSize(1024);
    assertThat(response.usage().promptTokens()).as("Cohere reports none: estimated").isPositive();
    assertAuthenticated(Cloud.BEDROCK, upstream);
  }

  @Test
  void openAiEmbeddingsShouldReachVertexPredictOfAGoogleModel() {
    CreateEmbeddingResponse response = sdk.openAi("/vertex/v1").embeddings().create(EmbeddingCreateParams.builder()
        .model("text-embedding-3-small").inputOfArrayOfStrings(List.of("Kubernetes", "Kafka")).dimensions(64).build());

    RecordedRequest upstream = last(Cloud.VERTEX_GEMINI);
    assertThat(upstream.path()).isEqualTo(VERTEX_PREFIX + "google/models/text-embedding-005:predict");
    assertThat(upstream.json().at("/parameters/outputDimensionality").asInt()).isEqualTo(64);
    assertThat(response.data()).hasSize(2);
    assertThat(response.data().get(1).embedding()).hasSize(64);
    assertThat(response.usage().promptTokens()).isEqualTo(upstream.reply().inputTokens());
    assertAuthenticated(Cloud.VERTEX_GEMINI, upstream);
  }

  // ---- Anthropic SDK --------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @EnumSource(Cloud.class)
  void anthropicMessagesWithToolsShouldRoundTrip(Cloud cloud) {
    AnthropicClient client = sdk.anthropic(cloud.prefix);
    MessageCreateParams first = MessageCreateParams.builder().model(cloud.model).maxTokens(1024)
        .system("You are a weather bot.").addUserMessage(WEATHER).addTool(anthropicWeatherTool()).build();

    Message called = client.messages().create(first);
    ToolUseBlock use = called.content().stream().map(ContentBlock::toolUse).flatMap(Optional::stream)
        .findFirst().orElseThrow();
    assertThat(use.name()).isEqualTo("get_weather");
    assertThat(use._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
    assertThat(called.stopReason()).hasValue(StopReason.TOOL_USE);
    RecordedRequest upstream = last(cloud);
    assertThat(upstream.path()).isEqualTo(decoded(cloud.chatPath(false)));

    Message answered = client.messages().create(first.toBuilder()
        .addMessage(called)
        .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
            ToolResultBlockParam.builder().toolUseId(use.id()).content("18 degrees, sunny").build())))
        .build());
    RecordedRequest second = last(cloud);
    JsonNode sent = second.json();
    switch (cloud) {
      case BEDROCK -> {
        assertThat(sent.at("/inferenceConfig/maxTokens").asInt()).isEqualTo(1024);
        assertThat(sent.at("/messages/1/content/0/toolUse/toolUseId").asText()).isEqualTo(use.id());
        assertThat(sent.at("/messages/2/content/0/toolResult/toolUseId").asText()).isEqualTo(use.id());
        assertThat(sent.at("/messages/2/content/0/toolResult/content/0/text").asText()).isEqualTo("18 degrees, sunny");
      }
      case VERTEX_GEMINI -> {
        assertThat(sent.at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(1024);
        assertThat(sent.at("/contents/2/parts/0/functionResponse/name").asText()).isEqualTo("get_weather");
      }
      case VERTEX_CLAUDE -> {
        assertThat(sent.at("/anthropic_version").asText()).isEqualTo("vertex-2023-10-16");
        assertThat(sent.has("model")).isFalse();
        assertThat(sent.at("/messages/2/content/0/type").asText()).isEqualTo("tool_result");
      }
    }
    assertThat(answered.content().get(0).text().orElseThrow().text())
        .isEqualTo(FakeProviderServer.replyText(cloud.fake, cloud.providerModel));
    assertThat(answered.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(answered.usage().outputTokens()).isEqualTo(second.reply().outputTokens());
    assertAuthenticated(cloud, upstream, second);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Cloud.class)
  void anthropicMessagesShouldStreamToolUse(Cloud cloud) {
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> stream = sdk.anthropic(cloud.prefix).messages()
        .createStreaming(MessageCreateParams.builder().model(cloud.model).maxTokens(1024)
            .addUserMessage(WEATHER).addTool(anthropicWeatherTool()).build())) {
      stream.stream().forEach(accumulator::accumulate);
    }

    Message message = accumulator.message();
    ToolUseBlock use = message.content().stream().map(ContentBlock::toolUse).flatMap(Optional::stream)
        .findFirst().orElseThrow();
    assertThat(use._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris"));
    assertThat(message.stopReason()).hasValue(StopReason.TOOL_USE);
    RecordedRequest upstream = last(cloud);
    assertThat(upstream.path()).isEqualTo(decoded(cloud.chatPath(true)));
    assertThat(message.usage().inputTokens()).isEqualTo(upstream.reply().inputTokens());
    assertThat(message.usage().outputTokens()).isEqualTo(upstream.reply().outputTokens());
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Cloud.class)
  void anthropicCountTokensShouldAskTheProvidersOwnCounter(Cloud cloud) {
    long counted = sdk.anthropic(cloud.prefix).messages().countTokens(MessageCountTokensParams.builder().model(cloud.model)
        .system("You are a weather bot.").addUserMessage(WEATHER).build()).inputTokens();

    RecordedRequest upstream = last(cloud);
    assertThat(upstream.path()).isEqualTo(countPath(cloud));
    assertThat(counted).isEqualTo(upstream.reply().inputTokens()).isPositive();
    assertAuthenticated(cloud, upstream);
  }

  // ---- a Gemini client, and the model list ----------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @EnumSource(Cloud.class)
  void geminiRestClientShouldGenerateAndStreamWithItsKeyInTheQueryNeverForwarded(Cloud cloud) {
    // Given a Gemini client naming the model in the path, its key as ?key=
    GeminiRest gemini = new GeminiRest(tollway, cloud.prefix);

    // When it generates, then it gets Gemini's answer with the provider's counts
    GeminiRest.Answer answer = gemini.generate(cloud.model, "What is Kubernetes?", CLIENT_KEY);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.text()).isEqualTo(FakeProviderServer.replyText(cloud.fake, cloud.providerModel));
    assertThat(answer.finishReason()).isEqualTo("STOP");
    RecordedRequest generated = last(cloud);
    assertThat(generated.path()).isEqualTo(decoded(cloud.chatPath(false)));
    assertThat(answer.usageMetadata().path("promptTokenCount").asInt()).isEqualTo(generated.reply().inputTokens());

    // When it streams, then the chunks rebuild the same text, from the provider's stream
    GeminiRest.Answer streamed = gemini.stream(cloud.model, "What is Kubernetes?", CLIENT_KEY);
    assertThat(streamed.status()).as(streamed.body()).isEqualTo(200);
    assertThat(streamed.chunks()).isGreaterThan(1);
    assertThat(streamed.text()).isEqualTo(FakeProviderServer.replyText(cloud.fake, cloud.providerModel));
    assertThat(streamed.finishReason()).isEqualTo("STOP");
    RecordedRequest stream = last(cloud);
    assertThat(stream.path()).isEqualTo(decoded(cloud.chatPath(true)));
    assertThat(streamed.usageMetadata().path("candidatesTokenCount").asInt()).isEqualTo(stream.reply().outputTokens());
    // and the client's key reached no provider, in the query or anywhere else
    assertThat(stream.query()).doesNotContain(CLIENT_KEY);
    assertAuthenticated(cloud, generated, stream);

    // When it counts tokens, then the provider's own counter answers
    long counted = gemini.countTokens(cloud.model, "What is Kubernetes?", CLIENT_KEY);
    RecordedRequest count = last(cloud);
    assertThat(count.path()).isEqualTo(countPath(cloud));
    assertThat(counted).isEqualTo(count.reply().inputTokens()).isPositive();
  }

  @Test
  void openAiModelsShouldListTheAliasesOfABackendWhoseProviderListIsNotFetched() {
    List<String> bedrock = sdk.openAi("/bedrock/v1").models().list().data().stream().map(Model::id).toList();
    List<String> vertex = sdk.openAi("/vertex/v1").models().list().data().stream().map(Model::id).toList();

    assertThat(bedrock).containsExactlyInAnyOrder("gpt-4o-mini", "claude-sonnet-4-5", "text-embedding-3-small");
    assertThat(vertex).containsExactlyInAnyOrder("gpt-4o-mini", "claude-sonnet-4-5", "text-embedding-3-small");
    assertThat(tollway.fake().requests()).as("Bedrock's and Vertex AI's lists are not fetched").isEmpty();
  }

  // ---- credentials ----------------------------------------------------------------------------------------

  @Test
  void aBedrockRequestSignedWithTheWrongSecretShouldBeRefusedByBedrock() {
    // Given a backend whose secret key is not the one AWS knows for its access key
    assertThatThrownBy(() -> sdk.openAi("/bedrock-wrong-key/v1").chat().completions().create(
        ChatCompletionCreateParams.builder().model("any").addUserMessage("hi").build()))
        // Then the fake Bedrock refused the signature, and the client is told the gateway's credential failed
        .isInstanceOfSatisfying(OpenAIServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(502));
    RecordedRequest refused = last(Cloud.BEDROCK);
    assertThat(refused.reply().status()).isEqualTo(403);
    assertThat(refused.header("authorization").orElseThrow()).startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY_ID + "/");
  }

  // ---- helpers ------------------------------------------------------------------------------------------

  /**
   * Bedrock: SigV4 of the session credentials for eu-west-3 (the fake verified it: the calls succeeded), with
   * the session token; Vertex AI: a token the fake's endpoint issued. Never the client's key.
   */
  private void assertAuthenticated(Cloud cloud, RecordedRequest... requests) {
    for (RecordedRequest request : requests) {
      String authorization = request.header("authorization").orElseThrow();
      if (cloud == Cloud.BEDROCK) {
        assertThat(authorization).matches("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY_ID
            + "/\\d{8}/eu-west-3/bedrock/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;"
            + "x-amz-security-token, Signature=[0-9a-f]{64}");
        assertThat(request.header("x-amz-security-token")).hasValue(SESSION_TOKEN);
        // the provider's host override is what was signed (the fake checked the signature against this Host)
        assertThat(request.header("host")).hasValue("127.0.0.1:" + tollway.fake().port());
      } else {
        assertThat(authorization).startsWith("Bearer ya29.fake-");
      }
      assertThat(request.reply().status()).isEqualTo(200);
      assertThat(request.headers().values().stream().flatMap(List::stream)).noneMatch(v -> v.contains(CLIENT_KEY));
    }
  }

  private static String countPath(Cloud cloud) {
    return switch (cloud) {
      case BEDROCK -> "/model/" + BEDROCK_CLAUDE + "/count-tokens";
      case VERTEX_GEMINI -> VERTEX_PREFIX + "google/models/gemini-2.5-flash:countTokens";
      case VERTEX_CLAUDE -> VERTEX_PREFIX + "anthropic/models/count-tokens:rawPredict";
    };
  }

  /** The last request a cloud's fake received. */
  private RecordedRequest last(Cloud cloud) {
    List<RecordedRequest> requests = tollway.fake().requests().stream().filter(r -> cloud.fake.equals(r.provider())).toList();
    assertThat(requests).as("requests to the fake " + cloud.fake).isNotEmpty();
    return requests.get(requests.size() - 1);
  }

  /** A path as the fake records it (decoded), from the path as sent. */
  private static String decoded(String rawPath) {
    return java.net.URLDecoder.decode(rawPath, java.nio.charset.StandardCharsets.UTF_8);
  }
}
