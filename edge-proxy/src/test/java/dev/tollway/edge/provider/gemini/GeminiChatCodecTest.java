package dev.tollway.edge.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.ChatMessage;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.ChatResponse;
import dev.tollway.edge.llm.ContentPart;
import dev.tollway.edge.llm.FinishReason;
import dev.tollway.edge.llm.StreamEncoder;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.llm.ToolCall;
import dev.tollway.edge.llm.ToolChoice;
import dev.tollway.edge.provider.Fixtures;
import dev.tollway.edge.provider.openai.OpenAiChatCodec;
import dev.tollway.edge.provider.wire.IdSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeminiChatCodecTest {

  private final GeminiChatCodec codec = new GeminiChatCodec(IdSource.counting());

  @Test
  void shouldDecodeUsageWithCachedAndThoughtTokens() {
    ChatResponse response = codec.decodeResponse(Fixtures.json("gemini/response-text.json"));

    // promptTokenCount includes cachedContentTokenCount; output = candidates 11 + thoughts 611
    assertThat(response.usage()).isEqualTo(new TokenCounts(8, 4, 0, 622, 611));
    assertThat(response.id()).isEqualTo("k6bHaP2VJ4uCz7IPgMH0gQ4");
    assertThat(response.model()).isEqualTo("gemini-2.5-flash");
    assertThat(response.finishReason()).isEqualTo(FinishReason.stop);
  }

  @Test
  void shouldDecodeThoughtPartsAsReasoning() {
    ChatResponse response = codec.decodeResponse(Fixtures.json("gemini/response-thinking.json"));

    assertThat(response.content()).containsExactly(
        new ContentPart.Reasoning("**Calculating the product**\n\nI will multiply 27 by 453.", null),
        new ContentPart.Text("27 * 453 = 12,231"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.length);
    assertThat(response.usage()).isEqualTo(new TokenCounts(12, 0, 0, 133, 124));
  }

  @Test
  void shouldGiveFunctionCallsIdsAndFinishWithToolCalls() {
    ChatResponse response = codec.decodeResponse(Fixtures.json("gemini/response-function-call.json"));

    assertThat(response.toolCalls()).containsExactly(
        new ToolCall("call_1", "find_theaters", "{\"location\":\"Mountain View, CA\",\"movie\":\"Barbie\"}"),
        new ToolCall("call_2", "find_theaters", "{\"location\":\"Mountain View, CA\",\"movie\":\"Oppenheimer\"}"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.tool_calls);
  }

  @Test
  void shouldReadABlockedAnswerAsContentFiltered() {
    ChatResponse response = codec.decodeResponse(Fixtures.json("gemini/response-safety.json"));

    assertThat(response.content()).isEmpty();
    assertThat(response.finishReason()).isEqualTo(FinishReason.content_filter);
  }

  @ParameterizedTest
  @CsvSource(textBlock = """
      STOP, stop
      MAX_TOKENS, length
      SAFETY, content_filter
      RECITATION, content_filter
      PROHIBITED_CONTENT, content_filter
      OTHER, stop
      """)
  void shouldMapEveryFinishReason(String finishReason, FinishReason expected) {
    ObjectNode body = (ObjectNode) Fixtures.json("gemini/response-text.json");
    ((ObjectNode) body.get("candidates").get(0)).put("finishReason", finishReason);

    assertThat(codec.decodeResponse(body).finishReason()).isEqualTo(expected);
  }

  @Test
  void shouldDecodeTheStreamWithCumulativeUsage() {
    List<ChatEvent> events = Fixtures.decodeWhole(codec.streamDecoder(), Fixtures.bytes("gemini/stream-text.sse"));

    assertThat(events).containsExactly(
        new ChatEvent.Start("mPDGaKqfMJqLz7IPs5u4oQw", "gemini-2.5-flash"),
        new ChatEvent.TextDelta("The"),
        new ChatEvent.Usage(new TokenCounts(8, 0, 0, 0, 0)),
        new ChatEvent.TextDelta(" opposite of \"hot\" is \"cold\"."),
        new ChatEvent.Usage(new TokenCounts(8, 0, 0, 0, 0)),
        new ChatEvent.Finish(FinishReason.stop),
        new ChatEvent.Usage(new TokenCounts(8, 0, 0, 39, 29)));
  }

  @Test
  void shouldDecodeAStreamedFunctionCallWhole() {
    List<ChatEvent> events = Fixtures.decodeWhole(codec.streamDecoder(), Fixtures.bytes("gemini/stream-function-call.sse"));

    assertThat(events).contains(
        new ChatEvent.ToolCallStart(0, "call_1", "find_theaters"),
        new ChatEvent.ToolCallDelta(0, "{\"location\":\"Mountain View, CA\",\"movie\":\"Barbie\"}"),
        new ChatEvent.Finish(FinishReason.tool_calls));
  }

  @Test
  void shouldDecodeAClientRequestMatchingFunctionResponsesToCalls() {
    ChatRequest request = codec.decodeRequest(Fixtures.json("gemini/request-function-calling.json"), "gemini-2.5-flash", true);

    assertThat(request.model()).isEqualTo("gemini-2.5-flash");
    assertThat(request.stream()).isTrue();
    assertThat(request.messages()).extracting(ChatMessage::role).containsExactly(
        ChatMessage.Role.system, ChatMessage.Role.user, ChatMessage.Role.assistant, ChatMessage.Role.tool);
    String callId = request.messages().get(2).toolCalls().get(0).id();
    assertThat(request.messages().get(3).toolCallId()).isEqualTo(callId);
    assertThat(request.messages().get(3).name()).isEqualTo("find_theaters");
    assertThat(request.toolChoice()).isEqualTo(new ToolChoice(ToolChoice.Mode.tool, "find_theaters", null));
    assertThat(request.params().reasoningBudgetTokens()).isEqualTo(1024L);
    assertThat(request.params().stop()).containsExactly("Title");
  }

  @Test
  void shouldTranslateAGeminiClientsRequestForOpenAi() {
    ChatRequest request = codec.decodeRequest(Fixtures.json("gemini/request-function-calling.json"), "gpt-4o", false);

    JsonNode openai = new OpenAiChatCodec().encodeRequest(request);

    assertThat(openai.at("/messages/2/tool_calls/0/function/arguments").asText())
        .isEqualTo("{\"location\":\"Mountain View, CA\",\"movie\":\"Barbie\"}");
    assertThat(openai.at("/messages/3/role").asText()).isEqualTo("tool");
    assertThat(openai.at("/messages/3/tool_call_id").asText()).isEqualTo(openai.at("/messages/2/tool_calls/0/id").asText());
    assertThat(openai.at("/tool_choice/function/name").asText()).isEqualTo("find_theaters");
    assertThat(openai.at("/reasoning_effort").asText()).isEqualTo("low");
  }

  @Test
  void shouldWriteStreamChunksWithTheFunctionCallWholeAndUsageLast() {
    ChatRequest request = codec.decodeRequest(Fixtures.json("gemini/request-function-calling.json"), "gemini-x", true);
    StreamEncoder encoder = codec.streamEncoder(request);
    StringBuilder out = new StringBuilder();
    for (ChatEvent event : List.of(
        new ChatEvent.Start("r1", "claude-x"),
        new ChatEvent.TextDelta("Let me look."),
        new ChatEvent.ToolCallStart(0, "toolu_1", "find_theaters"),
        new ChatEvent.ToolCallDelta(0, "{\"location\":"),
        new ChatEvent.ToolCallDelta(0, "\"Mountain View, CA\"}"),
        new ChatEvent.Finish(FinishReason.tool_calls),
        new ChatEvent.Usage(new TokenCounts(100, 20, 0, 30, 5)))) {
      out.append(new String(encoder.encode(event), StandardCharsets.UTF_8));
    }
    out.append(new String(encoder.finish(null), StandardCharsets.UTF_8));

    assertThat(out.toString()).isEqualTo(
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Let me look.\"}],\"role\":\"model\"},\"index\":0}],\"modelVersion\":\"claude-x\",\"responseId\":\"r1\"}\n\n"
            + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"find_theaters\",\"args\":{\"location\":\"Mountain View, CA\"}}}],\"role\":\"model\"},\"index\":0,\"finishReason\":\"STOP\"}],"
            + "\"usageMetadata\":{\"promptTokenCount\":100,\"candidatesTokenCount\":25,\"totalTokenCount\":130,\"cachedContentTokenCount\":20,\"thoughtsTokenCount\":5},"
            + "\"modelVersion\":\"claude-x\",\"responseId\":\"r1\"}\n\n");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(textBlock = """
      400, gemini/error-400-key.json, UPSTREAM_UNAUTHORIZED, 502
      400, gemini/error-400.json, UPSTREAM_BAD_REQUEST, 400
      429, gemini/error-429.json, UPSTREAM_RATE_LIMITED, 429
      500, gemini/error-500.json, UPSTREAM_ERROR, 502
      """)
  void shouldDecodeProviderErrors(int status, String fixture, ErrorReason reason, int clientStatus) {
    GatewayException error = codec.decodeError(status, Fixtures.json(fixture), null);

    assertThat(error.reason()).isEqualTo(reason);
    assertThat(error.status()).isEqualTo(clientStatus);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(textBlock = """
      INVALID_REQUEST, 400, INVALID_ARGUMENT
      UNAUTHENTICATED, 401, UNAUTHENTICATED
      ROUTE_NOT_FOUND, 404, NOT_FOUND
      QUOTA_EXCEEDED, 429, RESOURCE_EXHAUSTED
      INTERNAL, 500, INTERNAL
      UNAVAILABLE, 503, UNAVAILABLE
      """)
  void shouldEncodeErrorsInGooglesShape(ErrorReason reason, int code, String status) {
    assertThat(Fixtures.canonical(codec.encodeError(new GatewayException(reason, "why"))))
        .isEqualTo(Fixtures.parse("{\"error\":{\"code\":" + code + ",\"message\":\"why\",\"status\":\"" + status + "\"}}"));
  }
}
