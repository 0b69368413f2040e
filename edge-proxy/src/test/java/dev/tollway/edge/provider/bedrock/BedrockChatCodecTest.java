package dev.tollway.edge.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ChatMessage;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.ChatResponse;
import dev.tollway.edge.llm.ContentPart;
import dev.tollway.edge.llm.FinishReason;
import dev.tollway.edge.llm.GenerationParams;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.llm.ToolCall;
import dev.tollway.edge.llm.ToolChoice;
import dev.tollway.edge.llm.ToolDefinition;
import dev.tollway.edge.provider.Fixtures;
import dev.tollway.edge.provider.anthropic.AnthropicChatCodec;
import dev.tollway.edge.provider.openai.OpenAiChatCodec;
import dev.tollway.edge.provider.wire.IdSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Requests, answers and errors of Bedrock Converse; the event stream is in {@link BedrockStreamDecoderTest}. */
class BedrockChatCodecTest {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);
  private static final String CLAUDE = "us.anthropic.claude-sonnet-4-20250514-v1:0";

  private final BedrockChatCodec codec = new BedrockChatCodec();
  private final OpenAiChatCodec openai = new OpenAiChatCodec(CLOCK, IdSource.counting());
  private final AnthropicChatCodec anthropic = new AnthropicChatCodec(IdSource.counting());

  // ---- requests ------------------------------------------------------------------------------------------

  static Stream<Arguments> requests() {
    return Stream.of(
        Arguments.of("openai", "openai/request-text.json", "bedrock/from-openai-text.json"),
        Arguments.of("openai", "openai/request-tools.json", "bedrock/from-openai-tools.json"),
        Arguments.of("openai", "openai/request-json-mode.json", "bedrock/from-openai-json-mode.json"),
        Arguments.of("openai", "bedrock/openai-request-image.json", "bedrock/from-openai-image.json"),
        Arguments.of("anthropic", "anthropic/request-tool-use.json", "bedrock/from-anthropic-tool-use.json"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("requests")
  void shouldTranslateClientRequestsIntoConverse(String client, String fixture, String expected) {
    // Given a client's request
    ChatCodec clientCodec = client.equals("openai") ? openai : anthropic;
    ChatRequest request = clientCodec.decodeRequest(Fixtures.json(fixture));

    // When encoded for Bedrock
    JsonNode encoded = codec.encodeRequest(request);

    // Then it is the expected Converse body, without the model (it goes in the path)
    assertThat(Fixtures.canonical(encoded)).isEqualTo(Fixtures.json(expected));
    assertThat(encoded.has("model")).isFalse();
  }

  @Test
  void shouldSendParallelToolResultsAsToolResultBlocksOfOneUserTurnNeverAsText() {
    // Given an OpenAI conversation with two parallel tool calls answered by two tool messages
    ChatRequest request = openai.decodeRequest(Fixtures.json("openai/request-tools.json"));

    // When encoded for Bedrock
    JsonNode messages = codec.encodeRequest(request).get("messages");

    // Then the user turn after the calls holds both results as toolResult blocks, then the user's text
    JsonNode results = messages.get(2);
    assertThat(results.get("role").asText()).isEqualTo("user");
    assertThat(results.get("content")).hasSize(3);
    assertThat(results.get("content").get(0).get("toolResult").get("toolUseId").asText()).isEqualTo("call_12345xyz");
    assertThat(results.get("content").get(1).get("toolResult").get("toolUseId").asText()).isEqualTo("call_67890abc");
    assertThat(results.get("content").get(2).get("text").asText()).isEqualTo("Which one is warmer?");
    // and no message's own text block carries a tool's output
    for (JsonNode message : messages) {
      for (JsonNode block : message.get("content")) {
        assertThat(block.path("text").asText()).doesNotContain("18 degrees").doesNotContain("temperature");
      }
    }
  }

  @Test
  void shouldAskClaudeModelsToThinkWithABudgetBelowMaxTokens() {
    // Given an OpenAI request with reasoning_effort high and 32,000 output tokens, for Claude on Bedrock
    ChatRequest request = openai.decodeRequest(Fixtures.parse(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"27*453?\"}],\"reasoning_effort\":\"high\",\"max_completion_tokens\":32000}"))
        .withModel(CLAUDE);

    // When encoded
    JsonNode body = codec.encodeRequest(request);

    // Then thinking goes in additionalModelRequestFields with the effort's budget
    assertThat(Fixtures.canonical(body.get("additionalModelRequestFields")))
        .isEqualTo(Fixtures.parse("{\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":24576}}"));
    assertThat(body.get("inferenceConfig").get("maxTokens").asLong()).isEqualTo(32000);
  }

  @Test
  void shouldCapTheThinkingBudgetAndFillMaxTokensWhenTheClientGaveNone() {
    ChatRequest request = openai.decodeRequest(Fixtures.parse(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"reasoning_effort\":\"high\"}")).withModel(CLAUDE);

    JsonNode body = codec.encodeRequest(request);

    assertThat(body.get("inferenceConfig").get("maxTokens").asLong()).isEqualTo(4096);
    assertThat(body.get("additionalModelRequestFields").get("thinking").get("budget_tokens").asLong()).isEqualTo(4095);
  }

  @Test
  void shouldNotAskOtherModelsToThinkNorClaudeWhenThinkingIsOff() {
    ChatRequest nova = openai.decodeRequest(Fixtures.parse(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"reasoning_effort\":\"high\"}")).withModel("amazon.nova-pro-v1:0");
    ChatRequest minimal = openai.decodeRequest(Fixtures.parse(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"reasoning_effort\":\"minimal\"}")).withModel(CLAUDE);

    assertThat(codec.encodeRequest(nova).has("additionalModelRequestFields")).isFalse();
    assertThat(codec.encodeRequest(nova).has("inferenceConfig")).isFalse();
    assertThat(codec.encodeRequest(minimal).has("additionalModelRequestFields")).isFalse();
  }

  @Test
  void shouldSendReasoningBackFirstAndOnlyWithItsSignature() {
    // Given an assistant turn with signed reasoning, unsigned reasoning, text and a tool call
    ChatMessage assistant = new ChatMessage(
        ChatMessage.Role.assistant,
        List.of(new ContentPart.Text("Checking."), new ContentPart.Reasoning("think", "sig-1"), new ContentPart.Reasoning("lost", null)),
        List.of(new ToolCall("tooluse_1", "top_song", "{\"sign\":\"WZPZ\"}")),
        null,
        null);
    ChatRequest request = request(List.of(ChatMessage.text(ChatMessage.Role.user, "top song?"), assistant), List.of(), null);

    // When encoded
    JsonNode content = codec.encodeRequest(request).get("messages").get(1).get("content");

    // Then the signed reasoning comes first, the unsigned one is dropped, then text, then the tool use
    assertThat(Fixtures.canonical(content)).isEqualTo(Fixtures.parse(
        "[{\"reasoningContent\":{\"reasoningText\":{\"text\":\"think\",\"signature\":\"sig-1\"}}},"
            + "{\"text\":\"Checking.\"},"
            + "{\"toolUse\":{\"toolUseId\":\"tooluse_1\",\"name\":\"top_song\",\"input\":{\"sign\":\"WZPZ\"}}}]"));
  }

  @Test
  void shouldRefuseImageUrlsBedrockCannotFetch() {
    ChatRequest request = openai.decodeRequest(Fixtures.json("openai/request-image.json"));

    assertThatThrownBy(() -> codec.encodeRequest(request))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST))
        .hasMessageContaining("Bedrock does not fetch image URLs");
  }

  @Test
  void shouldSendS3ImagesAsS3LocationsWithTheFormatOfTheirName() {
    ChatRequest request = request(
        List.of(new ChatMessage(ChatMessage.Role.user, List.of(new ContentPart.Image("s3://bucket/cats/tabby.JPG", null, null, null)), List.of(), null, null)),
        List.of(), null);

    JsonNode block = codec.encodeRequest(request).get("messages").get(0).get("content").get(0);

    assertThat(Fixtures.canonical(block)).isEqualTo(Fixtures.parse(
        "{\"image\":{\"format\":\"jpeg\",\"source\":{\"s3Location\":{\"uri\":\"s3://bucket/cats/tabby.JPG\"}}}}"));
  }

  @Test
  void shouldRefuseImageTypesBedrockDoesNotRead() {
    ChatRequest request = request(
        List.of(new ChatMessage(ChatMessage.Role.user, List.of(new ContentPart.Image(null, "image/tiff", "AAAA", null)), List.of(), null, null)),
        List.of(), null);

    assertThatThrownBy(() -> codec.encodeRequest(request))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST))
        .hasMessageContaining("image/tiff").hasMessageContaining("png, jpeg, gif or webp");
  }

  @Test
  void shouldSendNoToolsForToolChoiceNoneUnlessTheConversationHoldsToolBlocks() {
    ToolDefinition tool = new ToolDefinition("top_song", "Most popular song", Fixtures.parse("{\"type\":\"object\"}"));
    ToolChoice none = new ToolChoice(ToolChoice.Mode.none, null, null);
    ChatRequest fresh = request(List.of(ChatMessage.text(ChatMessage.Role.user, "hi")), List.of(tool), none);
    ChatRequest withHistory = request(
        List.of(
            ChatMessage.text(ChatMessage.Role.user, "top song?"),
            new ChatMessage(ChatMessage.Role.assistant, List.of(), List.of(new ToolCall("t1", "top_song", "{}")), null, null),
            new ChatMessage(ChatMessage.Role.tool, List.of(new ContentPart.Text("Elemental Hotel")), List.of(), "t1", null)),
        List.of(tool),
        none);

    assertThat(codec.encodeRequest(fresh).has("toolConfig")).isFalse();
    JsonNode config = codec.encodeRequest(withHistory).get("toolConfig");
    assertThat(config.get("tools")).hasSize(1);
    assertThat(config.has("toolChoice")).isFalse();
  }

  @Test
  void shouldNameOneToolAsTheToolChoice() {
    ToolDefinition tool = new ToolDefinition("top_song", null, Fixtures.parse("{\"type\":\"object\"}"));
    ChatRequest request = request(
        List.of(ChatMessage.text(ChatMessage.Role.user, "hi")), List.of(tool), new ToolChoice(ToolChoice.Mode.tool, "top_song", null));

    JsonNode config = codec.encodeRequest(request).get("toolConfig");

    assertThat(Fixtures.canonical(config)).isEqualTo(Fixtures.parse(
        "{\"tools\":[{\"toolSpec\":{\"name\":\"top_song\",\"inputSchema\":{\"json\":{\"type\":\"object\"}}}}],"
            + "\"toolChoice\":{\"tool\":{\"name\":\"top_song\"}}}"));
  }

  @Test
  void shouldRefuseToolCallArgumentsThatAreNotAnObject() {
    ChatRequest request = request(
        List.of(
            ChatMessage.text(ChatMessage.Role.user, "hi"),
            new ChatMessage(ChatMessage.Role.assistant, List.of(), List.of(new ToolCall("t1", "f", "[1,2]")), null, null)),
        List.of(), null);

    assertThatThrownBy(() -> codec.encodeRequest(request))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST))
        .hasMessage("tool call t1: arguments are not a JSON object");
  }

  // ---- responses -----------------------------------------------------------------------------------------

  @Test
  void shouldDecodeTextAnswers() {
    ChatResponse response = codec.decodeResponse(Fixtures.json("bedrock/response-text.json"));

    assertThat(response.content()).containsExactly(new ContentPart.Text(
        "Kubernetes is an open-source platform that automates deploying, scaling and managing containerized applications."));
    assertThat(response.toolCalls()).isEmpty();
    assertThat(response.finishReason()).isEqualTo(FinishReason.stop);
    assertThat(response.usage()).isEqualTo(new TokenCounts(17, 0, 0, 22, 0));
    assertThat(response.format()).isEqualTo(ChatFormat.BEDROCK_CONVERSE);
  }

  @Test
  void shouldDecodeParallelToolUseWithArgumentsAsJsonText() {
    ChatResponse response = codec.decodeResponse(Fixtures.json("bedrock/response-tool-use.json"));

    assertThat(response.content()).containsExactly(new ContentPart.Text("I'll look up the most popular song on WZPZ."));
    assertThat(response.toolCalls()).containsExactly(
        new ToolCall("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "top_song", "{\"sign\":\"WZPZ\"}"),
        new ToolCall("tooluse_2SZpbL4jSaiBFvXV1qdhxg", "top_song", "{\"sign\":\"WKRP\"}"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.tool_calls);
  }

  @Test
  void shouldDecodeReasoningWithItsSignatureAndSkipRedactedReasoning() {
    ChatResponse response = codec.decodeResponse(Fixtures.json("bedrock/response-reasoning.json"));

    assertThat(response.content()).containsExactly(
        new ContentPart.Reasoning("The user asks for 27 * 453. 27 * 453 = 12231.", "ErcBCkgIAhABGAIiQMuHr2T7Yn8zQ9gCkc0Pn3Tm0OZTm3DdQ1uP"),
        new ContentPart.Text("27 × 453 = 12,231."));
  }

  @Test
  void shouldCountCacheReadAndWriteIntoTheInput() {
    ChatResponse response = codec.decodeResponse(Fixtures.json("bedrock/response-cache.json"));

    // inputTokens (21) exclude the cache: input = 21 + 1024 read + 188086 written
    assertThat(response.usage()).isEqualTo(new TokenCounts(189131, 1024, 188086, 393, 0));
    assertThat(response.usage().total()).isEqualTo(189524);
    assertThat(response.finishReason()).isEqualTo(FinishReason.length);
  }

  @ParameterizedTest
  @CsvSource(textBlock = """
      end_turn, stop
      stop_sequence, stop
      tool_use, tool_calls
      max_tokens, length
      model_context_window_exceeded, length
      guardrail_intervened, content_filter
      content_filtered, content_filter
      malformed_model_output, stop
      """)
  void shouldMapEveryStopReason(String stopReason, FinishReason expected) {
    ObjectNode body = (ObjectNode) Fixtures.json("bedrock/response-text.json");
    body.put("stopReason", stopReason);

    assertThat(codec.decodeResponse(body).finishReason()).isEqualTo(expected);
  }

  @Test
  void shouldRejectAnAnswerWithoutOutput() {
    assertThatThrownBy(() -> codec.decodeResponse(Fixtures.parse("{\"message\":\"hi\"}")))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.UPSTREAM_ERROR))
        .hasMessage("bedrock answered with a body without output.message.content");
  }

  @Test
  void shouldTranslateAToolUseAnswerForAnOpenAiClient() {
    // Given an OpenAI client's request and Bedrock's answer with two tool calls
    ChatRequest request = openai.decodeRequest(Fixtures.json("openai/request-text.json")).withModel(CLAUDE);
    ChatResponse response = codec.decodeResponse(Fixtures.json("bedrock/response-tool-use.json"));

    // When encoded for the client
    JsonNode encoded = openai.encodeResponse(response, request);

    // Then it is the expected chat.completion
    assertThat(Fixtures.canonical(encoded)).isEqualTo(Fixtures.json("bedrock/response-tool-use-to-openai.json"));
  }

  @Test
  void shouldTranslateACachedAnswerForAnAnthropicClientWithTheCacheBackOutOfTheInput() {
    ChatRequest request = anthropic.decodeRequest(Fixtures.json("anthropic/request-tool-use.json"));
    ChatResponse response = codec.decodeResponse(Fixtures.json("bedrock/response-cache.json"));

    JsonNode encoded = anthropic.encodeResponse(response, request);

    assertThat(Fixtures.canonical(encoded.get("usage"))).isEqualTo(Fixtures.parse(
        "{\"input_tokens\":21,\"cache_creation_input_tokens\":188086,\"cache_read_input_tokens\":1024,\"output_tokens\":393}"));
    assertThat(encoded.get("stop_reason").asText()).isEqualTo("max_tokens");
  }

  // ---- errors --------------------------------------------------------------------------------------------

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(429, "bedrock/error-throttling.json", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/",
            ErrorReason.UPSTREAM_RATE_LIMITED, 429, "bedrock rate limit: Too many requests, please wait before trying again."),
        Arguments.of(400, "bedrock/error-validation.json", "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/",
            ErrorReason.UPSTREAM_BAD_REQUEST, 400,
            "The model returned the following errors: messages.1.content.0.tool_result: tool_use ids were found without tool_result blocks immediately after"),
        Arguments.of(403, "bedrock/error-access-denied.json", "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/",
            ErrorReason.UPSTREAM_UNAUTHORIZED, 502, "bedrock rejected the gateway's credential (403)"),
        Arguments.of(403, null, "UnrecognizedClientException", ErrorReason.UPSTREAM_UNAUTHORIZED, 502,
            "bedrock rejected the gateway's credential (403)"),
        Arguments.of(404, "bedrock/error-not-found.json", "ResourceNotFoundException", ErrorReason.UPSTREAM_BAD_REQUEST, 404,
            "The provided model identifier is invalid."),
        Arguments.of(400, "bedrock/error-throttling.json", "ServiceQuotaExceededException", ErrorReason.UPSTREAM_RATE_LIMITED, 429,
            "bedrock rate limit: Too many requests, please wait before trying again."),
        Arguments.of(400, "bedrock/error-typed-body.json", null, ErrorReason.UPSTREAM_RATE_LIMITED, 429, "bedrock rate limit: Rate exceeded"),
        Arguments.of(408, null, "ModelTimeoutException", ErrorReason.UPSTREAM_TIMEOUT, 504, "bedrock model timeout: no message"),
        Arguments.of(500, null, "InternalServerException", ErrorReason.UPSTREAM_ERROR, 502, "bedrock error (500): no message"),
        Arguments.of(503, null, null, ErrorReason.UPSTREAM_ERROR, 502, "bedrock error (503): no message"));
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("errors")
  void shouldMapErrorsByTheirTypeAndStatus(
      int status, @Nullable String fixture, @Nullable String errorType, ErrorReason reason, int clientStatus, String message) {
    JsonNode body = fixture == null ? null : Fixtures.json(fixture);

    GatewayException error = codec.decodeError(status, body, Duration.ofSeconds(7), errorType);

    assertThat(error.reason()).isEqualTo(reason);
    assertThat(error.status()).isEqualTo(clientStatus);
    assertThat(error.getMessage()).isEqualTo(message);
    if (reason == ErrorReason.UPSTREAM_RATE_LIMITED) {
      assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }
  }

  @Test
  void shouldReadTheTypeFromTheBodyWhenTheHeaderIsNotGiven() {
    GatewayException error = codec.decodeError(400, Fixtures.json("bedrock/error-typed-body.json"), null);

    assertThat(error.reason()).isEqualTo(ErrorReason.UPSTREAM_RATE_LIMITED);
  }

  // ---- client side ---------------------------------------------------------------------------------------

  @Test
  void shouldRefuseToServeConverseToClients() {
    ChatRequest request = openai.decodeRequest(Fixtures.json("openai/request-text.json"));

    assertThatThrownBy(() -> codec.decodeRequest(Fixtures.json("bedrock/from-openai-text.json")))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.NOT_IMPLEMENTED));
    assertThatThrownBy(() -> codec.streamEncoder(request)).isInstanceOf(GatewayException.class);
    assertThatThrownBy(() -> codec.encodeError(new GatewayException(ErrorReason.INTERNAL, "x"))).isInstanceOf(GatewayException.class);
    assertThatThrownBy(() -> codec.encodeResponse(codec.decodeResponse(Fixtures.json("bedrock/response-text.json")), request))
        .isInstanceOf(GatewayException.class);
  }

  private static ChatRequest request(List<ChatMessage> messages, List<ToolDefinition> tools, @Nullable ToolChoice choice) {
    return new ChatRequest(
        CLAUDE, messages, tools, choice, GenerationParams.defaults(), false, false, ChatFormat.OPENAI_CHAT, Fixtures.parse("{}"));
  }
}
