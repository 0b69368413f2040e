package dev.tollway.edge.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiChatCodecTest {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);
  private final OpenAiChatCodec codec = new OpenAiChatCodec(CLOCK, IdSource.counting());

  @Test
  void shouldDecodeARequestWithToolsAndResults() {
    ChatRequest request = codec.decodeRequest(Fixtures.json("openai/request-tools.json"));

    assertThat(request.model()).isEqualTo("gpt-4.1");
    assertThat(request.messages()).extracting(ChatMessage::role).containsExactly(
        ChatMessage.Role.system, ChatMessage.Role.user, ChatMessage.Role.assistant,
        ChatMessage.Role.tool, ChatMessage.Role.tool, ChatMessage.Role.user);
    assertThat(request.messages().get(2).toolCalls()).containsExactly(
        new ToolCall("call_12345xyz", "get_weather", "{\"location\":\"Paris, France\"}"),
        new ToolCall("call_67890abc", "get_weather", "{\"location\":\"Bogotá, Colombia\"}"));
    assertThat(request.messages().get(4).toolCallId()).isEqualTo("call_67890abc");
    assertThat(request.tools()).singleElement().satisfies(t -> assertThat(t.name()).isEqualTo("get_weather"));
    assertThat(request.toolChoice()).isEqualTo(new ToolChoice(ToolChoice.Mode.required, null, false));
    assertThat(request.params().maxTokens()).isEqualTo(1024L);
    assertThat(request.params().temperature()).isEqualTo(0.2);
    assertThat(request.stream()).isTrue();
    assertThat(request.includeUsage()).isTrue();
  }

  @Test
  void shouldDecodeImagesByUrlAndInline() {
    ChatRequest request = codec.decodeRequest(Fixtures.json("openai/request-image.json"));

    assertThat(request.messages().get(0).content()).containsExactly(
        new ContentPart.Text("What is in this image?"),
        new ContentPart.Image(
            "https://upload.wikimedia.org/wikipedia/commons/thumb/d/dd/Gfp-wisconsin-madison-the-nature-boardwalk.jpg/2560px-Gfp-wisconsin-madison-the-nature-boardwalk.jpg",
            null, null, null),
        new ContentPart.Image(null, "image/jpeg", "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP", "low"));
    assertThat(request.params().maxTokens()).isEqualTo(300L);
  }

  @Test
  void shouldDecodeJsonModeStopSequencesAndReasoningEffort() {
    ChatRequest request = codec.decodeRequest(Fixtures.json("openai/request-json-mode.json"));

    assertThat(request.params().responseFormat().path("type").asText()).isEqualTo("json_schema");
    assertThat(request.params().stop()).containsExactly("\n\n", "END");
    assertThat(request.params().reasoningEffort()).isEqualTo("low");
    assertThat(request.params().seed()).isEqualTo(42L);
    assertThat(request.params().user()).isEqualTo("user-1234");
    assertThat(request.stream()).isFalse();
  }

  @Test
  void shouldAcceptTheTutorialsRequestWithoutModel() {
    ChatRequest request = codec.decodeRequest(Fixtures.parse(
        "{ \"messages\": [{\"role\": \"user\", \"content\": \"What is Kubernetes in one sentence?\"}] }"));

    assertThat(request.model()).isNull();
    assertThat(request.messages()).containsExactly(
        ChatMessage.text(ChatMessage.Role.user, "What is Kubernetes in one sentence?"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      []                                                                | body: expected a JSON object
      {}                                                                | messages: required
      {"messages":[]}                                                   | messages: expected at least one element
      {"messages":"hi"}                                                 | messages: expected an array
      {"messages":[{"role":"user","content":"a"},{"role":"robot"}]}     | messages[1].role: expected one of system, developer, user, assistant, tool
      {"messages":[{"content":"a"}]}                                    | messages[0].role: required
      {"messages":[{"role":"user"}]}                                    | messages[0].content: required
      {"messages":[{"role":"user","content":7}]}                        | messages[0].content: expected a string or an array of content parts
      {"messages":[{"role":"user","content":[{"type":"input_audio"}]}]} | messages[0].content[0].type: expected one of text, image_url
      {"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://x"}}]}]} | messages[0].content[0].image_url.url: expected an http(s) URL or a data:<media type>;base64,<data> URL
      {"messages":[{"role":"tool","content":"x"}]}                      | messages[0].tool_call_id: required
      {"messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{}}]}]} | messages[0].tool_calls[0].function.name: required
      {"model":5,"messages":[{"role":"user","content":"a"}]}            | model: expected a string
      {"messages":[{"role":"user","content":"a"}],"max_tokens":0}       | max_tokens: expected a positive integer
      {"messages":[{"role":"user","content":"a"}],"max_completion_tokens":1e400} | max_completion_tokens: expected an integer
      {"messages":[{"role":"user","content":"a"}],"temperature":"hot"}  | temperature: expected a number
      {"messages":[{"role":"user","content":"a"}],"stop":[1]}           | stop[0]: expected a string
      {"messages":[{"role":"user","content":"a"}],"stream":"yes"}       | stream: expected true or false
      {"messages":[{"role":"user","content":"a"}],"tool_choice":"any"}  | tool_choice: expected one of auto, none, required
      {"messages":[{"role":"user","content":"a"}],"tools":[{"type":"custom"}]} | tools[0].type: expected one of function
      {"messages":[{"role":"user","content":"a"}],"response_format":{"type":"yaml"}} | response_format.type: expected one of text, json_object, json_schema
      {"messages":[{"role":"user","content":"a"}],"stream_options":{"include_usage":1}} | stream_options.include_usage: expected true or false
      """)
  void shouldRejectAnInvalidRequestNamingTheField(String body, String message) {
    assertThatThrownBy(() -> codec.decodeRequest(Fixtures.parse(body)))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST);
          assertThat(e.status()).isEqualTo(400);
        })
        .hasMessage(message);
  }

  @Test
  void shouldDecodeAResponseWithItsUsage() {
    ChatResponse response = codec.decodeResponse(Fixtures.json("openai/response-text.json"));

    assertThat(response.id()).isEqualTo("chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT");
    assertThat(response.model()).isEqualTo("gpt-4.1-2025-04-14");
    assertThat(response.content()).containsExactly(new ContentPart.Text("Hello! How can I assist you today?"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.stop);
    assertThat(response.usage()).isEqualTo(new TokenCounts(19, 0, 0, 10, 0));
    assertThat(response.created()).isEqualTo(1741569952L);
  }

  @Test
  void shouldKeepCachedAndReasoningTokensInsideTheTotals() {
    ChatResponse response = codec.decodeResponse(Fixtures.json("openai/response-cached-reasoning.json"));

    // prompt_tokens already include cached_tokens; completion_tokens include reasoning_tokens
    assertThat(response.usage()).isEqualTo(new TokenCounts(2006, 1920, 0, 300, 256));
    assertThat(response.usage().total()).isEqualTo(2306);
    assertThat(response.finishReason()).isEqualTo(FinishReason.length);
  }

  @Test
  void shouldDecodeToolCalls() {
    ChatResponse response = codec.decodeResponse(Fixtures.json("openai/response-tool-calls.json"));

    assertThat(response.content()).isEmpty();
    assertThat(response.toolCalls()).containsExactly(
        new ToolCall("call_abc123", "get_current_weather", "{\n\"location\": \"Boston, MA\"\n}"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.tool_calls);
  }

  @Test
  void shouldRejectAResponseThatIsNotAChatCompletion() {
    assertThatThrownBy(() -> codec.decodeResponse(Fixtures.parse("{\"object\":\"list\"}")))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.UPSTREAM_ERROR));
  }

  @Test
  void shouldEncodeAResponseForAnOpenAiClient() {
    ChatRequest request = codec.decodeRequest(Fixtures.json("openai/request-text.json"));
    ChatResponse response = new ChatResponse(
        "msg_1", "claude-sonnet-4-5", List.of(new ContentPart.Reasoning("thinking...", "sig"), new ContentPart.Text("Hi")),
        List.of(), FinishReason.stop, new TokenCounts(1200, 1000, 100, 50, 0), null,
        dev.tollway.edge.llm.ChatFormat.ANTHROPIC_MESSAGES, Fixtures.parse("{}"));

    JsonNode encoded = codec.encodeResponse(response, request);

    assertThat(Fixtures.canonical(encoded)).isEqualTo(Fixtures.parse("""
        {"id":"msg_1","object":"chat.completion","created":1700000000,"model":"claude-sonnet-4-5",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hi","reasoning_content":"thinking...","refusal":null},
                     "logprobs":null,"finish_reason":"stop"}],
         "usage":{"prompt_tokens":1200,"completion_tokens":50,"total_tokens":1250,
                  "prompt_tokens_details":{"cached_tokens":1000},"completion_tokens_details":{"reasoning_tokens":0}}}
        """));
  }

  @Test
  void shouldDecodeAStreamIntoEvents() {
    List<ChatEvent> events = Fixtures.decodeWhole(codec.streamDecoder(), Fixtures.bytes("openai/stream-tool-calls.sse"));

    assertThat(events).containsExactly(
        new ChatEvent.Start("chatcmpl-9lmkhS9pvAj6Xt8ERaThpKmt33eFx", "gpt-4o-2024-05-13"),
        new ChatEvent.ToolCallStart(0, "call_DdmO9pD3xa9XTPNJ32zg2hcA", "get_weather"),
        new ChatEvent.ToolCallDelta(0, "{\"location\":"),
        new ChatEvent.ToolCallDelta(0, " \"Paris, France\"}"),
        new ChatEvent.ToolCallStart(1, "call_ABCDe9XTPNJ32zg2hcAdm1k", "get_weather"),
        new ChatEvent.ToolCallDelta(1, "{\"location\": \"Bogotá, Colombia\"}"),
        new ChatEvent.Finish(FinishReason.tool_calls),
        new ChatEvent.Usage(new TokenCounts(2006, 1920, 0, 300, 0)));
  }

  @Test
  void shouldWriteExactlyOpenAisChunksWithoutUsageWhenNotAsked() {
    // Given a client that did not ask for usage
    ChatRequest request = codec.decodeRequest(Fixtures.parse(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":true}"));
    StreamEncoder encoder = codec.streamEncoder(request);

    // When an answer with a tool call is written
    StringBuilder out = new StringBuilder();
    for (ChatEvent event : List.of(
        new ChatEvent.Start("id1", "m1"),
        new ChatEvent.Usage(new TokenCounts(5, 0, 0, 1, 0)),
        new ChatEvent.TextDelta("Hi"),
        new ChatEvent.ToolCallStart(0, "call_1", "f"),
        new ChatEvent.ToolCallDelta(0, "{}"),
        new ChatEvent.Finish(FinishReason.tool_calls))) {
      out.append(new String(encoder.encode(event), StandardCharsets.UTF_8));
    }
    out.append(new String(encoder.finish(null), StandardCharsets.UTF_8));

    // Then the bytes are OpenAI's, with no usage chunk, ending in [DONE]
    String head = "data: {\"id\":\"id1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"m1\",\"choices\":[{\"index\":0,";
    assertThat(out.toString()).isEqualTo(
        head + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
            + head + "\"delta\":{\"content\":\"Hi\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
            + head + "\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
            + head + "\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{}\"}}]},\"logprobs\":null,\"finish_reason\":null}]}\n\n"
            + head + "\"delta\":{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}]}\n\n"
            + "data: [DONE]\n\n");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(textBlock = """
      429, openai/error-429.json, UPSTREAM_RATE_LIMITED, 429, Rate limit reached for gpt-4o
      400, openai/error-400.json, UPSTREAM_BAD_REQUEST, 400, Invalid 'messages[1].content'
      404, openai/error-404.json, UPSTREAM_BAD_REQUEST, 404, The model `gpt-9` does not exist
      401, openai/error-401.json, UPSTREAM_UNAUTHORIZED, 502, openai rejected the gateway's credential (401)
      500, openai/error-500.json, UPSTREAM_ERROR, 502, openai error (500): The server had an error
      """)
  void shouldDecodeProviderErrors(int status, String fixture, ErrorReason reason, int clientStatus, String message) {
    GatewayException error = codec.decodeError(status, Fixtures.json(fixture), Duration.ofSeconds(2));

    assertThat(error.reason()).isEqualTo(reason);
    assertThat(error.status()).isEqualTo(clientStatus);
    assertThat(error.getMessage()).contains(message).doesNotContain("sk-abc");
    if (reason == ErrorReason.UPSTREAM_RATE_LIMITED) {
      assertThat(error.retryAfter()).isEqualTo(Duration.ofSeconds(2));
    }
  }

  @Test
  void shouldDecodeAnErrorWithoutBody() {
    assertThat(codec.decodeError(503, null, null).getMessage()).isEqualTo("openai error (503): no message");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(textBlock = """
      INVALID_REQUEST, 'messages[1].role: expected one of system', invalid_request_error, messages[1].role, invalid_request
      UNAUTHENTICATED, 'no API key', authentication_error, , unauthenticated
      ROUTE_NOT_FOUND, 'no route', not_found_error, , route_not_found
      UPSTREAM_RATE_LIMITED, 'slow down', rate_limit_error, , upstream_rate_limited
      QUOTA_EXCEEDED, 'over budget', insufficient_quota, , insufficient_quota
      UPSTREAM_ERROR, 'boom', server_error, , upstream_error
      """)
  void shouldEncodeErrorsInOpenAisShape(ErrorReason reason, String message, String type, String param, String code) {
    JsonNode body = codec.encodeError(new GatewayException(reason, message));

    assertThat(body.path("error").path("message").asText()).isEqualTo(message);
    assertThat(body.path("error").path("type").asText()).isEqualTo(type);
    assertThat(body.path("error").get("param").isNull() ? null : body.path("error").get("param").asText()).isEqualTo(param);
    assertThat(body.path("error").path("code").asText()).isEqualTo(code);
  }
}
