package dev.tollway.edge.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.tollway.edge.provider.wire.IdSource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicChatCodecTest {

  private final AnthropicChatCodec codec = new AnthropicChatCodec(IdSource.counting());

  @Test
  void shouldDecodeTextResponses() {
    ChatResponse response = codec.decodeResponse(Fixtures.json("anthropic/response-text.json"));

    assertThat(response.id()).isEqualTo("msg_013Zva2CMHLNnXjNJJKqJ2EF");
    assertThat(response.content()).containsExactly(new ContentPart.Text("Hi! My name is Claude."));
    assertThat(response.finishReason()).isEqualTo(FinishReason.stop);
    assertThat(response.usage()).isEqualTo(new TokenCounts(2095, 0, 0, 503, 0));
  }

  @Test
  void shouldDecodeToolUseWithArgumentsAsJsonText() {
    ChatResponse response = codec.decodeResponse(Fixtures.json("anthropic/response-tool-use.json"));

    assertThat(response.content()).containsExactly(new ContentPart.Text("I'll check the current weather in San Francisco for you."));
    assertThat(response.toolCalls()).containsExactly(
        new ToolCall("toolu_01A09q90qw90lq917835lq9", "get_weather", "{\"location\":\"San Francisco, CA\",\"unit\":\"celsius\"}"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.tool_calls);
  }

  @Test
  void shouldDecodeThinkingWithItsSignature() {
    ChatResponse response = codec.decodeResponse(Fixtures.json("anthropic/response-thinking.json"));

    assertThat(response.content()).containsExactly(
        new ContentPart.Reasoning("Let me analyze this step by step...",
            "WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL...."),
        new ContentPart.Text("Based on my analysis..."));
  }

  @Test
  void shouldCountCacheReadAndWriteIntoTheInput() {
    ChatResponse response = codec.decodeResponse(Fixtures.json("anthropic/response-cache.json"));

    // input_tokens (21) exclude the cache: input = 21 + 1024 read + 188086 written
    assertThat(response.usage()).isEqualTo(new TokenCounts(189131, 1024, 188086, 393, 0));
    assertThat(response.finishReason()).isEqualTo(FinishReason.stop);
  }

  @ParameterizedTest
  @CsvSource(textBlock = """
      end_turn, stop
      stop_sequence, stop
      max_tokens, length
      tool_use, tool_calls
      refusal, content_filter
      pause_turn, stop
      """)
  void shouldMapEveryStopReason(String stopReason, FinishReason expected) {
    ObjectNode body = (ObjectNode) Fixtures.json("anthropic/response-text.json");
    body.put("stop_reason", stopReason);

    assertThat(codec.decodeResponse(body).finishReason()).isEqualTo(expected);
  }

  @Test
  void shouldDecodeTheToolUseStreamAsTheDocsShowIt() {
    List<ChatEvent> events = Fixtures.decodeWhole(codec.streamDecoder(), Fixtures.bytes("anthropic/stream-tool-use.sse"));

    StringBuilder text = new StringBuilder();
    StringBuilder arguments = new StringBuilder();
    events.forEach(e -> {
      if (e instanceof ChatEvent.TextDelta t) {
        text.append(t.text());
      } else if (e instanceof ChatEvent.ToolCallDelta d) {
        arguments.append(d.argumentsFragment());
      }
    });
    assertThat(events.get(0)).isEqualTo(new ChatEvent.Start("msg_014p7gG3wDgGV9EUtLvnow3U", "claude-sonnet-4-5-20250929"));
    assertThat(events.get(1)).isEqualTo(new ChatEvent.Usage(new TokenCounts(472, 0, 0, 2, 0)));
    assertThat(text).hasToString("Okay, let's check the weather for San Francisco, CA:");
    assertThat(events).contains(new ChatEvent.ToolCallStart(0, "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather"));
    assertThat(arguments).hasToString("{\"location\": \"San Francisco, CA\", \"unit\": \"fahrenheit\"}");
    assertThat(events.subList(events.size() - 2, events.size())).containsExactly(
        new ChatEvent.Finish(FinishReason.tool_calls),
        new ChatEvent.Usage(new TokenCounts(472, 0, 0, 89, 0)));
  }

  @Test
  void shouldDecodeThinkingDeltasAndTheSignature() {
    List<ChatEvent> events = Fixtures.decodeWhole(codec.streamDecoder(), Fixtures.bytes("anthropic/stream-thinking.sse"));

    assertThat(events).contains(
        new ChatEvent.ReasoningDelta("\n2. 453 = 400 + 50 + 3", null),
        new ChatEvent.ReasoningDelta("", "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds..."),
        new ChatEvent.TextDelta("27 * 453 = 12,231"),
        new ChatEvent.Finish(FinishReason.stop));
  }

  @Test
  void shouldKeepTheStartsInputTokensWhenMessageDeltaOmitsThem() {
    List<ChatEvent> events = Fixtures.decodeWhole(codec.streamDecoder(), Fixtures.bytes("anthropic/stream-cache.sse"));

    assertThat(events.get(events.size() - 1))
        .isEqualTo(new ChatEvent.Usage(new TokenCounts(21 + 188086, 0, 188086, 393, 0)));
    assertThat(events).contains(new ChatEvent.Finish(FinishReason.length));
  }

  @Test
  void shouldDecodeAnErrorEventAsAFailure() {
    List<ChatEvent> events = Fixtures.decodeWhole(codec.streamDecoder(), Fixtures.bytes("anthropic/stream-error.sse"));

    assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(ChatEvent.Failure.class, f -> {
      assertThat(f.error().reason()).isEqualTo(ErrorReason.UPSTREAM_ERROR);
      assertThat(f.error().getMessage()).isEqualTo("anthropic stream error: Overloaded");
    });
  }

  @Test
  void shouldDecodeAClientRequest() {
    ChatRequest request = codec.decodeRequest(Fixtures.json("anthropic/request-tool-use.json"));

    assertThat(request.messages()).extracting(ChatMessage::role).containsExactly(
        ChatMessage.Role.system, ChatMessage.Role.user, ChatMessage.Role.assistant, ChatMessage.Role.tool, ChatMessage.Role.user);
    assertThat(request.messages().get(3)).isEqualTo(new ChatMessage(
        ChatMessage.Role.tool, List.of(new ContentPart.Text("15 degrees")), List.of(), "toolu_01A09q90qw90lq917835lq9", null));
    assertThat(request.toolChoice()).isEqualTo(new ToolChoice(ToolChoice.Mode.auto, null, false));
    assertThat(request.params().reasoningBudgetTokens()).isEqualTo(2048L);
    assertThat(request.params().stop()).containsExactly("###");
    assertThat(request.includeUsage()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {"messages":[{"role":"user","content":"a"}]}                                     | max_tokens: required
      {"max_tokens":10}                                                                | messages: required
      {"max_tokens":10,"messages":[{"role":"system","content":"a"}]}                   | messages[0].role: expected one of user, assistant
      {"max_tokens":10,"messages":[{"role":"user","content":[{"type":"tool_use"}]}]}   | messages[0].content[0].type: expected one of text, image, tool_result
      {"max_tokens":10,"messages":[{"role":"user","content":[{"type":"tool_result"}]}]} | messages[0].content[0].tool_use_id: required
      {"max_tokens":10,"messages":[{"role":"user","content":"a"}],"tool_choice":{"type":"required"}} | tool_choice.type: expected one of auto, any, tool, none
      {"max_tokens":10,"messages":[{"role":"user","content":"a"}],"thinking":{"type":"enabled"}} | thinking.budget_tokens: required
      """)
  void shouldRejectAnInvalidRequestNamingTheField(String body, String message) {
    assertThatThrownBy(() -> codec.decodeRequest(Fixtures.parse(body)))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST))
        .hasMessage(message);
  }

  @Test
  void shouldGiveAnAnthropicClientCacheExclusiveInputTokens() {
    ChatRequest request = codec.decodeRequest(Fixtures.json("anthropic/request-tool-use.json"));
    ChatResponse response = new ChatResponse("chatcmpl-1", "gpt-4o", List.of(new ContentPart.Text("Hi")), List.of(),
        FinishReason.length, new TokenCounts(2006, 1920, 0, 300, 100), null,
        dev.tollway.edge.llm.ChatFormat.OPENAI_CHAT, Fixtures.parse("{}"));

    JsonNode body = codec.encodeResponse(response, request);

    assertThat(Fixtures.canonical(body.get("usage"))).isEqualTo(Fixtures.parse(
        "{\"input_tokens\":86,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":1920,\"output_tokens\":300}"));
    assertThat(body.get("stop_reason").asText()).isEqualTo("max_tokens");
  }

  @Test
  void shouldWriteThinkingTextAndAnErrorAsAnthropicEvents() {
    ChatRequest request = codec.decodeRequest(Fixtures.json("anthropic/request-tool-use.json"));
    StreamEncoder encoder = codec.streamEncoder(request);
    StringBuilder out = new StringBuilder();
    for (ChatEvent event : List.of(
        new ChatEvent.Start("m1", "model-x"),
        new ChatEvent.Usage(new TokenCounts(30, 10, 0, 1, 0)),
        new ChatEvent.ReasoningDelta("hmm", null),
        new ChatEvent.ReasoningDelta("", "sig"),
        new ChatEvent.TextDelta("Hi"))) {
      out.append(new String(encoder.encode(event), StandardCharsets.UTF_8));
    }
    out.append(new String(encoder.finish(new GatewayException(ErrorReason.UPSTREAM_STREAM_INTERRUPTED, "cut")), StandardCharsets.UTF_8));

    assertThat(out.toString()).isEqualTo(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"model-x\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":20,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":10,\"output_tokens\":1}}}\n\n"
            + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hmm\"}}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig\"}}\n\n"
            + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
            + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
            + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
            + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"cut\"}}\n\n");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(textBlock = """
      429, anthropic/error-429.json, UPSTREAM_RATE_LIMITED, 429
      400, anthropic/error-400.json, UPSTREAM_BAD_REQUEST, 400
      401, anthropic/error-401.json, UPSTREAM_UNAUTHORIZED, 502
      529, anthropic/error-529.json, UPSTREAM_ERROR, 502
      """)
  void shouldDecodeProviderErrors(int status, String fixture, ErrorReason reason, int clientStatus) {
    GatewayException error = codec.decodeError(status, Fixtures.json(fixture), null);

    assertThat(error.reason()).isEqualTo(reason);
    assertThat(error.status()).isEqualTo(clientStatus);
    if (reason == ErrorReason.UPSTREAM_BAD_REQUEST) {
      assertThat(error.getMessage()).startsWith("messages: roles must alternate");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(textBlock = """
      INVALID_REQUEST, invalid_request_error
      UNAUTHENTICATED, authentication_error
      ROUTE_NOT_FOUND, not_found_error
      RATE_LIMITED, rate_limit_error
      UNAVAILABLE, overloaded_error
      UPSTREAM_ERROR, api_error
      """)
  void shouldEncodeErrorsInAnthropicsShape(ErrorReason reason, String type) {
    assertThat(Fixtures.canonical(codec.encodeError(new GatewayException(reason, "why"))))
        .isEqualTo(Fixtures.parse("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"why\"}}"));
  }
}
