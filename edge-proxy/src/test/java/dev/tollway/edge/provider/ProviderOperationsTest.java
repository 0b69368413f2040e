package dev.tollway.edge.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.EmbeddingsFormat;
import dev.tollway.edge.llm.EmbeddingsRequest;
import dev.tollway.edge.llm.EmbeddingsResponse;
import dev.tollway.edge.llm.ModelInfo;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.llm.TokenEstimate;
import dev.tollway.edge.provider.anthropic.AnthropicChatCodec;
import dev.tollway.edge.provider.gemini.GeminiChatCodec;
import dev.tollway.edge.provider.openai.OpenAiChatCodec;
import dev.tollway.edge.provider.openai.OpenAiEmbeddings;
import dev.tollway.edge.provider.wire.IdSource;
import dev.tollway.schemas.snapshot.Provider;
import dev.tollway.schemas.snapshot.Provider.ProviderType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What providers offer beyond chat: embeddings, token counting and model lists, in each provider's wire format. */
class ProviderOperationsTest {

  private final ProviderProtocols protocols = ProviderProtocols.system();

  private static Provider provider(ProviderType type, Map<String, String> settings) {
    return new Provider("p", type, null, null, null, null, null, true, new TreeMap<>(settings), Provider.ProviderAuth.none());
  }

  private static EmbeddingsRequest embeddings(String body) {
    return OpenAiEmbeddings.decodeRequest(Fixtures.parse(body));
  }

  // ---- embeddings ------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "{\"model\":\"m\"}                                      | input: required",
    "{\"input\":[]}                                         | input: expected at least one input",
    "{\"input\":\"\"}                                       | input: expected a non-empty string",
    "{\"input\":[\"a\",2]}                                  | input[1]: expected a string (every input of the array)",
    "{\"input\":[1,-2]}                                     | input[1]: expected a token id (a non-negative integer)",
    "{\"input\":{\"text\":\"a\"}}                           | input: expected a string, an array of strings, or token ids",
    "{\"input\":\"a\",\"encoding_format\":\"int8\"}          | encoding_format: expected one of float, base64",
    "{\"input\":\"a\",\"dimensions\":0}                      | dimensions: expected a positive integer",
    "{\"input\":\"a\",\"dimensions\":\"256\"}                | dimensions: expected an integer",
  })
  void shouldRejectAnInvalidEmbeddingsRequestNamingTheField(String body, String message) {
    assertThatThrownBy(() -> embeddings(body)).isInstanceOfSatisfying(GatewayException.class, e -> {
      assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST);
      assertThat(e.getMessage()).isEqualTo(message);
    });
  }

  @Test
  void shouldReadTextAndTokenInputs() {
    assertThat(embeddings("{\"input\":\"one\"}").texts()).containsExactly("one");
    assertThat(embeddings("{\"input\":[\"one\",\"two\"],\"dimensions\":256,\"encoding_format\":\"base64\"}"))
        .satisfies(r -> {
          assertThat(r.texts()).containsExactly("one", "two");
          assertThat(r.dimensions()).isEqualTo(256);
          assertThat(r.base64()).isTrue();
        });
    EmbeddingsRequest tokens = embeddings("{\"input\":[[1,2],[3]]}");
    assertThat(tokens.tokenInput()).isTrue();
    assertThat(tokens.inputCount()).isEqualTo(2);
  }

  @Test
  void shouldSendGeminiOneEmbedRequestPerTextAndReadItsVectors() {
    EmbeddingsApi gemini = protocols.protocol(ProviderType.gemini).embeddings().orElseThrow();
    EmbeddingsRequest request = embeddings("{\"input\":[\"one\",\"two\"],\"dimensions\":3}").withModel("gemini-embedding-001");

    assertThat(gemini.target(provider(ProviderType.gemini, Map.of()), "gemini-embedding-001").path())
        .isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
    assertThat(Fixtures.canonical(gemini.encodeRequest(request))).isEqualTo(Fixtures.parse(
        "{\"requests\":[{\"model\":\"models/gemini-embedding-001\",\"content\":{\"parts\":[{\"text\":\"one\"}]},\"outputDimensionality\":3},"
            + "{\"model\":\"models/gemini-embedding-001\",\"content\":{\"parts\":[{\"text\":\"two\"}]},\"outputDimensionality\":3}]}"));
    EmbeddingsResponse response = gemini.decodeResponse(Fixtures.parse(
        "{\"embeddings\":[{\"values\":[0.013168523,-0.008711934,-0.046782676]},{\"values\":[0.5,0.25,-0.125]}]}"), request);
    assertThat(response.vectors()).hasSize(2);
    assertThat(response.vectors().get(1)).containsExactly(0.5f, 0.25f, -0.125f);
    assertThat(response.usage()).as("Gemini reports no token counts").isNull();
  }

  @Test
  void shouldRefuseTokenIdsForAProviderThatEmbedsText() {
    EmbeddingsApi gemini = protocols.protocol(ProviderType.gemini).embeddings().orElseThrow();

    assertThatThrownBy(() -> gemini.encodeRequest(embeddings("{\"input\":[1,2,3]}").withModel("m")))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.getMessage())
            .isEqualTo("input: token ids can only go to an OpenAI-compatible provider; Gemini embeds text"));
  }

  @Test
  void shouldCallVertexPredictForGoogleModelsAndSumItsTokenCounts() {
    EmbeddingsApi vertex = protocols.protocol(ProviderType.vertexai).embeddings().orElseThrow();
    Provider provider = provider(ProviderType.vertexai, Map.of("projectId", "p1", "region", "us-central1"));
    EmbeddingsRequest request = embeddings("{\"input\":[\"one\",\"two\"]}").withModel("text-embedding-005");

    assertThat(vertex.target(provider, "text-embedding-005")).isEqualTo(new UpstreamTarget(
        "us-central1-aiplatform.googleapis.com", 443, true,
        "/v1/projects/p1/locations/us-central1/publishers/google/models/text-embedding-005:predict"));
    assertThat(Fixtures.canonical(vertex.encodeRequest(request)))
        .isEqualTo(Fixtures.parse("{\"instances\":[{\"content\":\"one\"},{\"content\":\"two\"}]}"));
    EmbeddingsResponse response = vertex.decodeResponse(Fixtures.parse(
        "{\"predictions\":[{\"embeddings\":{\"statistics\":{\"truncated\":false,\"token_count\":2},\"values\":[0.1]}},"
            + "{\"embeddings\":{\"statistics\":{\"truncated\":false,\"token_count\":3},\"values\":[0.2]}}]}"), request);
    assertThat(response.usage()).isEqualTo(new TokenCounts(5, 0, 0, 0, 0));
    assertThatThrownBy(() -> vertex.target(provider, "claude-sonnet-4@20250514"))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.NOT_IMPLEMENTED));
  }

  @Test
  void shouldHaveNoEmbeddingsForAnthropic() {
    assertThat(protocols.protocol(ProviderType.anthropic).embeddings()).isEmpty();
  }

  @Test
  void shouldInvokeTitanWithOneTextPerCallAndReadItsTokenCount() {
    // Given Bedrock's embeddings and Titan Text Embeddings V2
    EmbeddingsApi bedrock = protocols.protocol(ProviderType.bedrock).embeddings().orElseThrow();
    String titan = "amazon.titan-embed-text-v2:0";
    EmbeddingsRequest one = embeddings("{\"input\":\"What is Kubernetes?\",\"dimensions\":256}").withModel(titan);

    // Then it takes one text per call, at InvokeModel of the model, with Titan's body
    assertThat(bedrock.maxInputsPerCall(titan)).isEqualTo(1);
    assertThat(bedrock.target(provider(ProviderType.bedrock, Map.of("region", "eu-west-3")), titan))
        .isEqualTo(new UpstreamTarget("bedrock-runtime.eu-west-3.amazonaws.com", 443, true,
            "/model/amazon.titan-embed-text-v2%3A0/invoke"));
    assertThat(Fixtures.canonical(bedrock.encodeRequest(one)))
        .isEqualTo(Fixtures.parse("{\"inputText\":\"What is Kubernetes?\",\"dimensions\":256}"));

    // and its answer gives the vector and the input tokens
    EmbeddingsResponse response = bedrock.decodeResponse(Fixtures.json("bedrock/embed-titan-v2-response.json"), one);
    assertThat(response.vectors()).singleElement().satisfies(v -> assertThat(v).containsExactly(0.0421f, -0.0137f, 0.0875f, -0.0059f));
    assertThat(response.usage()).isEqualTo(new TokenCounts(7, 0, 0, 0, 0));
    assertThat(response.format()).isEqualTo(EmbeddingsFormat.BEDROCK_INVOKE);
  }

  @Test
  void shouldInvokeCohereWithABatchAndReadEitherShapeOfItsVectors() {
    EmbeddingsApi bedrock = protocols.protocol(ProviderType.bedrock).embeddings().orElseThrow();
    EmbeddingsRequest two = embeddings("{\"input\":[\"kubernetes\",\"kafka\"]}").withModel("cohere.embed-english-v3");
    EmbeddingsRequest v4 = embeddings("{\"input\":[\"kubernetes\"],\"dimensions\":1024}").withModel("us.cohere.embed-v4:0");

    assertThat(bedrock.maxInputsPerCall("cohere.embed-english-v3")).isEqualTo(96);
    assertThat(Fixtures.canonical(bedrock.encodeRequest(two))).isEqualTo(Fixtures.parse(
        "{\"texts\":[\"kubernetes\",\"kafka\"],\"input_type\":\"search_document\"}"));
    assertThat(Fixtures.canonical(bedrock.encodeRequest(v4))).isEqualTo(Fixtures.parse(
        "{\"texts\":[\"kubernetes\"],\"input_type\":\"search_document\",\"output_dimension\":1024}"));
    EmbeddingsResponse floats = bedrock.decodeResponse(Fixtures.json("bedrock/embed-cohere-response.json"), two);
    assertThat(floats.vectors()).hasSize(2);
    assertThat(floats.vectors().get(1)).containsExactly(-0.0321f, 0.0654f, -0.0987f);
    assertThat(floats.usage()).as("Cohere reports no tokens: the gateway estimates").isNull();
    assertThat(bedrock.decodeResponse(Fixtures.json("bedrock/embed-cohere-v4-by-type-response.json"), v4).vectors())
        .singleElement().satisfies(v -> assertThat(v).containsExactly(0.5f, -0.25f));
    assertThatThrownBy(() -> bedrock.decodeResponse(Fixtures.json("bedrock/embed-cohere-response.json"), v4))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.UPSTREAM_ERROR));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
    "amazon.titan-embed-text-v2:0 | 100  | dimensions: 100 (amazon.titan-embed-text-v2:0 makes 256, 512, 1024)",
    "amazon.titan-embed-text-v1   | 256  | dimensions: amazon.titan-embed-text-v1 makes vectors of one fixed size (leave dimensions out)",
    "cohere.embed-english-v3      | 1024 | dimensions: cohere.embed-english-v3 makes vectors of one fixed size (leave dimensions out)",
    "cohere.embed-v4:0            | 3072 | dimensions: 3072 (cohere.embed-v4:0 makes 256, 512, 1024, 1536)",
  })
  void shouldRefuseASizeTheBedrockModelDoesNotMake(String model, int dimensions, String message) {
    EmbeddingsApi bedrock = protocols.protocol(ProviderType.bedrock).embeddings().orElseThrow();

    assertThatThrownBy(() -> bedrock.encodeRequest(
        embeddings("{\"input\":\"x\",\"dimensions\":" + dimensions + "}").withModel(model)))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST);
          assertThat(e.getMessage()).isEqualTo(message);
        });
  }

  @Test
  void shouldSayWhichBedrockModelsEmbedAndFindThemBehindProfilesAndArns() {
    EmbeddingsApi bedrock = protocols.protocol(ProviderType.bedrock).embeddings().orElseThrow();
    Provider provider = provider(ProviderType.bedrock, Map.of());

    assertThat(bedrock.maxInputsPerCall(
        "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/amazon.titan-embed-text-v2:0")).isEqualTo(1);
    assertThat(bedrock.maxInputsPerCall("eu.cohere.embed-multilingual-v3")).isEqualTo(96);
    assertThatThrownBy(() -> bedrock.target(provider, "amazon.titan-embed-image-v1"))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.reason()).isEqualTo(ErrorReason.NOT_IMPLEMENTED);
          assertThat(e.getMessage()).isEqualTo("model amazon.titan-embed-image-v1: Tollway embeds with Amazon Titan Text "
              + "(amazon.titan-embed-text-*) and Cohere Embed (cohere.embed-*) models on Bedrock");
        });
    assertThatThrownBy(() -> bedrock.encodeRequest(embeddings("{\"input\":[1,2]}").withModel("cohere.embed-english-v3")))
        .hasMessage("input: token ids can only go to an OpenAI-compatible provider; Bedrock embeds text");
  }

  @Test
  void shouldSplitARequestIntoSlicesThatKeepTheClientsOtherFields() {
    EmbeddingsRequest request = embeddings("{\"model\":\"m\",\"input\":[\"a\",\"b\",\"c\"],\"dimensions\":256,\"user\":\"u\"}");

    EmbeddingsRequest slice = request.slice(1, 3);

    assertThat(slice.texts()).containsExactly("b", "c");
    assertThat(slice.dimensions()).isEqualTo(256);
    assertThat(Fixtures.canonical(slice.original())).isEqualTo(Fixtures.parse(
        "{\"model\":\"m\",\"input\":[\"b\",\"c\"],\"dimensions\":256,\"user\":\"u\"}"));
    assertThat(request.texts()).as("the request itself is unchanged").containsExactly("a", "b", "c");
  }

  @Test
  void shouldJoinAnswersInOrderSummingTokensOnlyWhenEveryCallCountedThem() {
    EmbeddingsResponse first = new EmbeddingsResponse(null, List.of(new float[] {1f}), new TokenCounts(2, 0, 0, 0, 0),
        EmbeddingsFormat.BEDROCK_INVOKE, Fixtures.parse("{\"n\":1}"));
    EmbeddingsResponse second = new EmbeddingsResponse("m", List.of(new float[] {2f}), new TokenCounts(3, 0, 0, 0, 0),
        EmbeddingsFormat.BEDROCK_INVOKE, Fixtures.parse("{\"n\":2}"));
    EmbeddingsResponse uncounted = new EmbeddingsResponse(null, List.of(new float[] {3f}), null,
        EmbeddingsFormat.BEDROCK_INVOKE, Fixtures.parse("{\"n\":3}"));

    EmbeddingsResponse joined = EmbeddingsResponse.joined(List.of(first, second));

    assertThat(joined.vectors()).extracting(v -> v[0]).containsExactly(1f, 2f);
    assertThat(joined.usage()).isEqualTo(new TokenCounts(5, 0, 0, 0, 0));
    assertThat(joined.model()).isEqualTo("m");
    assertThat(joined.original()).isEqualTo(Fixtures.parse("[{\"n\":1},{\"n\":2}]"));
    assertThat(EmbeddingsResponse.joined(List.of(first, uncounted)).usage()).isNull();
  }

  @Test
  void shouldWriteOpenAiVectorsAsFloatsOrLittleEndianBase64AsTheClientAsked() {
    EmbeddingsResponse response = new EmbeddingsResponse(null, List.of(new float[] {1.0f, -2.5f}),
        new TokenCounts(4, 0, 0, 0, 0), EmbeddingsFormat.GEMINI_BATCH, Fixtures.parse("{}"));

    JsonNode floats = OpenAiEmbeddings.encodeResponse(response, embeddings("{\"model\":\"m\",\"input\":\"x\"}"));
    JsonNode base64 = OpenAiEmbeddings.encodeResponse(response, embeddings("{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":\"base64\"}"));

    assertThat(Fixtures.canonical(floats)).isEqualTo(Fixtures.parse("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\","
        + "\"index\":0,\"embedding\":[1.0,-2.5]}],\"model\":\"m\",\"usage\":{\"prompt_tokens\":4,\"total_tokens\":4}}"));
    // 1.0f = 00 00 80 3f, -2.5f = 00 00 20 c0 (little endian)
    assertThat(base64.at("/data/0/embedding").asText()).isEqualTo("AACAPwAAIMA=");
    EmbeddingsApi openai = protocols.protocol(ProviderType.openai).embeddings().orElseThrow();
    assertThat(openai.decodeResponse(Fixtures.parse("{\"data\":[{\"index\":0,\"embedding\":\"AACAPwAAIMA=\"}]}"),
        embeddings("{\"input\":\"x\"}")).vectors().get(0)).containsExactly(1.0f, -2.5f);
  }

  @Test
  void shouldRefuseAProviderAnswerWithAnotherNumberOfVectors() {
    EmbeddingsApi openai = protocols.protocol(ProviderType.openai).embeddings().orElseThrow();

    assertThatThrownBy(() -> openai.decodeResponse(
        Fixtures.parse("{\"data\":[{\"index\":0,\"embedding\":[0.1]}]}"), embeddings("{\"input\":[\"a\",\"b\"]}")))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.UPSTREAM_ERROR));
  }

  @Test
  void shouldSendEmbeddingsBesideAChatPathOverride() {
    EmbeddingsApi openai = protocols.protocol(ProviderType.openai).embeddings().orElseThrow();
    Provider vllm = new Provider("p", ProviderType.openai, null, "vllm.local", 8000, "/api/v1/chat/completions", null,
        false, new TreeMap<>(), Provider.ProviderAuth.none());

    assertThat(openai.target(vllm, "m")).isEqualTo(new UpstreamTarget("vllm.local", 8000, false, "/api/v1/embeddings"));
  }

  @ParameterizedTest(name = "azure apiVersion {0}")
  @CsvSource({
    "v1,                 /openai/v1/embeddings,                                           /openai/v1/responses",
    "2025-03-01-preview, /openai/deployments/d1/embeddings?api-version=2025-03-01-preview, /openai/responses?api-version=2025-03-01-preview",
  })
  void shouldFindAzuresEmbeddingsAndResponsesEndpoints(String apiVersion, String embeddingsPath, String responsesPath) {
    ProviderProtocol azure = protocols.protocol(ProviderType.azureopenai);
    Provider provider = provider(ProviderType.azureopenai,
        Map.of("endpoint", "my.openai.azure.com", "apiVersion", apiVersion, "deploymentName", "d1"));

    assertThat(azure.embeddings().orElseThrow().target(provider, "m").path()).isEqualTo(embeddingsPath);
    assertThat(azure.chatTarget(provider, dev.tollway.edge.llm.ChatFormat.OPENAI_RESPONSES, "m", false).path())
        .isEqualTo(responsesPath);
    assertThat(azure.chatCodec(dev.tollway.edge.llm.ChatFormat.OPENAI_RESPONSES).format())
        .isEqualTo(dev.tollway.edge.llm.ChatFormat.OPENAI_RESPONSES);
  }

  // ---- token counting --------------------------------------------------------------------------------------

  private ChatRequest messages(String model) {
    return new AnthropicChatCodec().decodeCountTokensRequest(Fixtures.parse("{\"model\":\"" + model + "\","
        + "\"system\":\"You help.\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, world\"}],"
        + "\"tools\":[{\"name\":\"f\",\"input_schema\":{\"type\":\"object\"}}]}"));
  }

  @Test
  void shouldCountWithAnthropicsOwnApiKeepingOnlyCountedFields() {
    TokenCountApi anthropic = protocols.protocol(ProviderType.anthropic).tokenCount().orElseThrow();
    ChatRequest request = new OpenAiChatCodec().decodeRequest(Fixtures.parse(
        "{\"model\":\"claude-x\",\"max_tokens\":5,\"temperature\":0.3,\"stream\":true,"
            + "\"messages\":[{\"role\":\"system\",\"content\":\"You help.\"},{\"role\":\"user\",\"content\":\"Hello\"}]}"));

    assertThat(anthropic.target(provider(ProviderType.anthropic, Map.of()), "claude-x").path()).isEqualTo("/v1/messages/count_tokens");
    assertThat(Fixtures.canonical(anthropic.encodeRequest(request))).isEqualTo(Fixtures.parse(
        "{\"model\":\"claude-x\",\"system\":\"You help.\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"));
    assertThat(anthropic.decodeResponse(Fixtures.parse("{\"input_tokens\":2095}"))).isEqualTo(2095);
  }

  @Test
  void shouldCountWithGeminisCountTokensOnTheWholeGenerateRequest() {
    TokenCountApi gemini = protocols.protocol(ProviderType.gemini).tokenCount().orElseThrow();

    JsonNode body = gemini.encodeRequest(messages("gemini-2.5-flash"));

    assertThat(gemini.target(provider(ProviderType.gemini, Map.of()), "gemini-2.5-flash").path())
        .isEqualTo("/v1beta/models/gemini-2.5-flash:countTokens");
    assertThat(body.at("/generateContentRequest/model").asText()).isEqualTo("models/gemini-2.5-flash");
    assertThat(body.at("/generateContentRequest/systemInstruction/parts/0/text").asText()).isEqualTo("You help.");
    assertThat(body.at("/generateContentRequest/tools/0/functionDeclarations/0/name").asText()).isEqualTo("f");
    assertThat(gemini.decodeResponse(Fixtures.parse("{\"totalTokens\":31,\"promptTokensDetails\":[]}"))).isEqualTo(31);
  }

  @Test
  void shouldCountWithBedrocksCountTokensOnTheConverseMessages() {
    TokenCountApi bedrock = protocols.protocol(ProviderType.bedrock).tokenCount().orElseThrow();

    JsonNode body = bedrock.encodeRequest(messages("anthropic.claude-3-5-haiku-20241022-v1:0"));

    assertThat(bedrock.target(provider(ProviderType.bedrock, Map.of("region", "eu-west-1")),
        "anthropic.claude-3-5-haiku-20241022-v1:0")).isEqualTo(new UpstreamTarget("bedrock-runtime.eu-west-1.amazonaws.com",
        443, true, "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/count-tokens"));
    assertThat(body.at("/input/converse/messages/0/content/0/text").asText()).isEqualTo("Hello, world");
    assertThat(body.at("/input/converse/system/0/text").asText()).isEqualTo("You help.");
    assertThat(body.at("/input/converse/toolConfig/tools/0/toolSpec/name").asText()).isEqualTo("f");
    assertThat(body.at("/input/converse/inferenceConfig").isMissingNode()).isTrue();
    assertThat(bedrock.decodeResponse(Fixtures.parse("{\"inputTokens\":17}"))).isEqualTo(17);
  }

  @Test
  void shouldCountOnVertexByTheModelsPublisher() {
    TokenCountApi vertex = protocols.protocol(ProviderType.vertexai).tokenCount().orElseThrow();
    Provider provider = provider(ProviderType.vertexai, Map.of("projectId", "p1", "region", "europe-west1"));

    assertThat(vertex.target(provider, "claude-sonnet-4@20250514").path())
        .isEqualTo("/v1/projects/p1/locations/europe-west1/publishers/anthropic/models/count-tokens:rawPredict");
    assertThat(vertex.encodeRequest(messages("claude-sonnet-4@20250514")).get("model").asText())
        .isEqualTo("claude-sonnet-4@20250514");
    assertThat(vertex.target(provider, "gemini-2.5-pro").path())
        .isEqualTo("/v1/projects/p1/locations/europe-west1/publishers/google/models/gemini-2.5-pro:countTokens");
    assertThat(vertex.encodeRequest(messages("gemini-2.5-pro")).fieldNames())
        .toIterable().containsExactlyInAnyOrder("contents", "systemInstruction", "tools");
    assertThat(vertex.decodeResponse(Fixtures.parse("{\"input_tokens\":9}"))).isEqualTo(9);
    assertThat(vertex.decodeResponse(Fixtures.parse("{\"totalTokens\":11}"))).isEqualTo(11);
  }

  @Test
  void shouldHaveNoCountingApiForOpenAiSoTheGatewayEstimates() {
    assertThat(protocols.protocol(ProviderType.openai).tokenCount()).isEmpty();
    assertThat(protocols.protocol(ProviderType.azureopenai).tokenCount()).isEmpty();
    // "You help." (9) + "Hello, world" (12) + tool f + schema {"type":"object"} (1 + 17) = 39 chars → 10, + 2 messages × 4
    assertThat(TokenEstimate.inputTokens(messages("gpt-4o"))).isEqualTo(18);
  }

  @Test
  void shouldRefuseAProvidersCountWithoutItsNumber() {
    TokenCountApi anthropic = protocols.protocol(ProviderType.anthropic).tokenCount().orElseThrow();

    assertThatThrownBy(() -> anthropic.decodeResponse(Fixtures.parse("{\"tokens\":3}")))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.UPSTREAM_ERROR));
  }

  @Test
  void shouldReadAGeminiCountBodyInEitherShape() {
    GeminiChatCodec gemini = new GeminiChatCodec(IdSource.counting());

    ChatRequest contents = gemini.decodeCountTokensRequest(
        Fixtures.parse("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}"), "gemini-2.5-flash");
    ChatRequest wrapped = gemini.decodeCountTokensRequest(Fixtures.parse("{\"generateContentRequest\":{\"model\":"
        + "\"models/gemini-2.5-flash\",\"systemInstruction\":{\"parts\":[{\"text\":\"sys\"}]},"
        + "\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}}"), "gemini-2.5-flash");

    assertThat(contents.messages()).hasSize(1);
    assertThat(contents.model()).isEqualTo("gemini-2.5-flash");
    assertThat(wrapped.messages()).hasSize(2);
    assertThat(wrapped.original().has("model")).as("the path names the model").isFalse();
  }

  // ---- model lists -----------------------------------------------------------------------------------------

  @Test
  void shouldReadEachProvidersModelList() {
    ModelListApi openai = protocols.protocol(ProviderType.openai).modelList().orElseThrow();
    ModelListApi anthropic = protocols.protocol(ProviderType.anthropic).modelList().orElseThrow();
    ModelListApi gemini = protocols.protocol(ProviderType.gemini).modelList().orElseThrow();

    assertThat(openai.decode(Fixtures.parse("{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o\",\"object\":\"model\","
        + "\"created\":1686935002,\"owned_by\":\"openai\"}]}")))
        .containsExactly(new ModelInfo("gpt-4o", "openai", 1686935002L, null));
    assertThat(anthropic.target(provider(ProviderType.anthropic, Map.of())).path()).isEqualTo("/v1/models?limit=1000");
    assertThat(anthropic.decode(Fixtures.parse("{\"data\":[{\"type\":\"model\",\"id\":\"claude-sonnet-4-20250514\","
        + "\"display_name\":\"Claude Sonnet 4\",\"created_at\":\"2025-05-22T00:00:00Z\"}],\"has_more\":false}")))
        .containsExactly(new ModelInfo("claude-sonnet-4-20250514", "anthropic", 1747872000L, "Claude Sonnet 4"));
    assertThat(gemini.target(provider(ProviderType.gemini, Map.of())).path()).isEqualTo("/v1beta/models?pageSize=1000");
    assertThat(gemini.decode(Fixtures.parse("{\"models\":[{\"name\":\"models/gemini-2.5-flash\",\"displayName\":"
        + "\"Gemini 2.5 Flash\"}]}"))).containsExactly(new ModelInfo("gemini-2.5-flash", "gemini", null, "Gemini 2.5 Flash"));
    assertThat(protocols.protocol(ProviderType.bedrock).modelList()).isEmpty();
    assertThat(protocols.protocol(ProviderType.vertexai).modelList()).isEmpty();
  }
}
