package dev.tollway.edge.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.ChatMessage;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.ChatResponse;
import dev.tollway.edge.llm.ContentPart;
import dev.tollway.edge.llm.FinishReason;
import dev.tollway.edge.llm.StreamDecoder;
import dev.tollway.edge.llm.StreamEncoder;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.llm.ToolCall;
import dev.tollway.edge.provider.Fixtures;
import dev.tollway.edge.provider.anthropic.AnthropicChatCodec;
import dev.tollway.edge.provider.gemini.GeminiChatCodec;
import dev.tollway.edge.provider.wire.IdSource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The OpenAI Responses API, client side and provider side, against fixtures in its wire format. */
class ResponsesCodecTest {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);

  private final OpenAiResponsesCodec responses = new OpenAiResponsesCodec(CLOCK, IdSource.counting());
  private final OpenAiChatCodec openai = new OpenAiChatCodec(CLOCK, IdSource.counting());
  private final AnthropicChatCodec anthropic = new AnthropicChatCodec(IdSource.counting());
  private final GeminiChatCodec gemini = new GeminiChatCodec(IdSource.counting());

  @Test
  void shouldDecodeInstructionsItemsParallelCallsAndTheirResults() {
    // When the client's Responses request is decoded
    ChatRequest request = responses.decodeRequest(Fixtures.json("openai/responses-request-tools.json"));

    // Then instructions are the system message, the two calls one assistant turn, each output a tool result
    assertThat(request.messages()).extracting(ChatMessage::role).containsExactly(
        ChatMessage.Role.system, ChatMessage.Role.user, ChatMessage.Role.assistant, ChatMessage.Role.tool,
        ChatMessage.Role.tool, ChatMessage.Role.user);
    assertThat(request.messages().get(1).content()).hasSize(2).last().isInstanceOf(ContentPart.Image.class);
    assertThat(request.messages().get(2).toolCalls()).extracting(ToolCall::id)
        .containsExactly("call_12345xyz", "call_67890abc");
    assertThat(request.messages().get(4).toolCallId()).isEqualTo("call_67890abc");
    assertThat(request.tools()).singleElement().satisfies(tool -> assertThat(tool.name()).isEqualTo("get_weather"));
    assertThat(request.toolChoice().parallel()).isFalse();
    assertThat(request.params().maxTokens()).isEqualTo(1024);
    assertThat(request.stream()).isTrue();
  }

  @ParameterizedTest(name = "→ {0}")
  @CsvSource({
    "anthropic, translate/responses-tools-to-anthropic.json",
    "gemini,    translate/responses-tools-to-gemini.json",
  })
  void shouldTranslateAResponsesRequestForOtherProviders(String provider, String expected) {
    ChatRequest request = responses.decodeRequest(Fixtures.json("openai/responses-request-tools.json"));

    JsonNode encoded = codec(provider).encodeRequest(request);

    assertThat(Fixtures.canonical(encoded)).isEqualTo(Fixtures.json(expected));
  }

  @Test
  void shouldBuildAResponsesRequestFromAChatRequestWithToolsNotStrictAndNothingStored() {
    ChatRequest request = openai.decodeRequest(Fixtures.json("openai/request-tools.json"));

    JsonNode encoded = responses.encodeRequest(request);

    assertThat(Fixtures.canonical(encoded)).isEqualTo(Fixtures.json("translate/openai-tools-to-responses.json"));
  }

  @Test
  void shouldKeepTheClientsBodyForAResponsesProviderPatchingOnlyTheModel() {
    // Given a Responses request with fields the gateway does not model
    JsonNode body = Fixtures.parse("{\"model\":\"x\",\"input\":\"hi\",\"previous_response_id\":\"resp_1\","
        + "\"include\":[\"reasoning.encrypted_content\"],\"tools\":[{\"type\":\"web_search\"}]}");
    ChatRequest request = responses.decodeRequest(body).withModel("gpt-4.1");

    // When encoded for an OpenAI provider, then every field is kept and only the model changes
    assertThat(Fixtures.canonical(responses.encodeRequest(request))).isEqualTo(Fixtures.parse(
        "{\"model\":\"gpt-4.1\",\"input\":\"hi\",\"previous_response_id\":\"resp_1\","
            + "\"include\":[\"reasoning.encrypted_content\"],\"tools\":[{\"type\":\"web_search\"}]}"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "{\"input\":\"hi\",\"previous_response_id\":\"resp_1\"}                          | previous_response_id: needs state stored at OpenAI",
    "{\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}                    | input[0].type: item_reference needs state stored at OpenAI",
    "{\"input\":\"hi\",\"tools\":[{\"type\":\"function\",\"name\":\"f\"},{\"type\":\"web_search\"}]} | tools[1].type: web_search is a tool hosted by OpenAI",
  })
  void shouldRefuseStoredStateAndHostedToolsWhenTheRequestMustBeTranslated(String body, String message) {
    ChatRequest request = responses.decodeRequest(Fixtures.parse(body));

    assertThatThrownBy(() -> responses.checkTranslatable(request))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST);
          assertThat(e.getMessage()).startsWith(message);
        });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "{}                                                              | input: required",
    "{\"input\":42}                                                   | input: expected a string or an array of input items",
    "{\"input\":[]}                                                   | input: expected at least one item",
    "{\"input\":[{\"role\":\"robot\",\"content\":\"x\"}]}             | input[0].role: expected one of user, assistant, system, developer",
    "{\"input\":[{\"type\":\"function_call\",\"name\":\"f\"}]}        | input[0].call_id: required",
    "{\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\"}]}]} | input[0].content[0].image_url: required (file_id images need files stored at OpenAI)",
    "{\"input\":\"hi\",\"max_output_tokens\":-1}                      | max_output_tokens: expected a positive integer",
    "{\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"yaml\"}}}      | text.format.type: expected one of text, json_object, json_schema",
    "{\"input\":\"hi\",\"tool_choice\":{\"type\":\"web_search\"}}      | tool_choice.type: expected function (hosted tool choices need an OpenAI-format provider)",
    "{\"input\":\"hi\",\"stream\":\"yes\"}                            | stream: expected true or false",
  })
  void shouldRejectAnInvalidRequestNamingTheField(String body, String message) {
    assertThatThrownBy(() -> responses.decodeRequest(Fixtures.parse(body)))
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST);
          assertThat(e.getMessage()).isEqualTo(message);
        });
  }

  @Test
  void shouldDecodeAnAnswerWithReasoningACallAndCacheInclusiveUsage() {
    ChatResponse response = responses.decodeResponse(Fixtures.json("openai/responses-response-tool-call.json"));

    assertThat(response.model()).isEqualTo("gpt-4o-2024-08-06");
    assertThat(response.content()).containsExactly(
        new ContentPart.Reasoning("The user wants the weather in Boston; call the tool.", null),
        new ContentPart.Text("Let me check the weather."));
    assertThat(response.toolCalls()).containsExactly(new ToolCall(
        "call_unLAR8MvFNptuiZK6K6HCy5k", "get_current_weather", "{\"location\":\"Boston, MA\",\"unit\":\"celsius\"}"));
    assertThat(response.finishReason()).isEqualTo(FinishReason.tool_calls);
    assertThat(response.usage()).isEqualTo(new TokenCounts(291, 128, 0, 23, 12));
  }

  @Test
  void shouldReadAnIncompleteAnswerAsALengthFinish() {
    ChatResponse response = responses.decodeResponse(Fixtures.parse(
        "{\"id\":\"resp_1\",\"status\":\"incomplete\",\"incomplete_details\":{\"reason\":\"max_output_tokens\"},"
            + "\"output\":[{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"Kube\"}]}]}"));

    assertThat(response.finishReason()).isEqualTo(FinishReason.length);
    assertThat(response.content()).containsExactly(new ContentPart.Text("Kube"));
  }

  @Test
  void shouldTreatAFailedAnswerAsAnUpstreamError() {
    assertThatThrownBy(() -> responses.decodeResponse(Fixtures.parse(
        "{\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"boom\"},\"output\":[]}")))
        .isInstanceOfSatisfying(GatewayException.class,
            e -> assertThat(e.reason()).isEqualTo(ErrorReason.UPSTREAM_ERROR));
  }

  @ParameterizedTest(name = "{0} answer → {1} client")
  @CsvSource({
    "responses, openai,    openai/responses-response-tool-call.json, translate/responses-response-tool-call-to-openai.json",
    "responses, anthropic, openai/responses-response-tool-call.json, translate/responses-response-tool-call-to-anthropic.json",
    "anthropic, responses, anthropic/response-tool-use.json,        translate/anthropic-response-tool-use-to-responses.json",
  })
  void shouldTranslateAnswers(String from, String to, String fixture, String expected) {
    ChatRequest request = codec(to).decodeRequest(Fixtures.json(switch (to) {
      case "anthropic" -> "anthropic/request-tool-use.json";
      case "responses" -> "openai/responses-request-tools.json";
      default -> "openai/request-text.json";
    }));
    ChatResponse response = codec(from).decodeResponse(Fixtures.json(fixture));

    JsonNode encoded = codec(to).encodeResponse(response, request.withModel(null));

    assertThat(Fixtures.canonical(encoded)).isEqualTo(Fixtures.json(expected));
  }

  @Test
  void shouldGiveAResponsesClientTheProvidersOwnAnswerUnchanged() {
    JsonNode answer = Fixtures.json("openai/responses-response-tool-call.json");
    ChatRequest request = responses.decodeRequest(Fixtures.parse("{\"input\":\"hi\"}"));

    assertThat(responses.encodeResponse(responses.decodeResponse(answer), request)).isEqualTo(answer);
  }

  @Test
  void shouldWriteAnAnthropicStreamAsResponsesEventsExactly() {
    ChatRequest request = responses.decodeRequest(Fixtures.parse("{\"model\":\"m\",\"input\":\"Hello\",\"stream\":true}"));

    String written = relay(anthropic.streamDecoder(), Fixtures.bytes("anthropic/stream-text.sse"), responses.streamEncoder(request));

    assertThat(written).isEqualTo(Fixtures.text("translate/anthropic-stream-text-to-responses.sse"));
  }

  @Test
  void shouldWriteParallelToolCallsAsFunctionCallItemsExactly() {
    ChatRequest request = responses.decodeRequest(Fixtures.parse("{\"model\":\"m\",\"input\":\"Hello\",\"stream\":true}"));

    String written = relay(openai.streamDecoder(), Fixtures.bytes("openai/stream-tool-calls.sse"), responses.streamEncoder(request));

    assertThat(written).isEqualTo(Fixtures.text("translate/openai-stream-tools-to-responses.sse"));
    assertThat(written).contains("\"sequence_number\":0,").endsWith("\n\n").doesNotContain("[DONE]");
  }

  @Test
  void shouldTranslateAResponsesStreamToChatChunksExactly() {
    ChatRequest request = openai.decodeRequest(Fixtures.parse(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"stream\":true,\"stream_options\":{\"include_usage\":true}}"));

    String written = relay(responses.streamDecoder(), Fixtures.bytes("openai/responses-stream-tool-call.sse"), openai.streamEncoder(request));

    assertThat(written).isEqualTo(Fixtures.text("translate/responses-stream-tool-call-to-openai.sse"));
  }

  @Test
  void shouldDecodeAResponsesStreamTheSameInAnyChunking() {
    byte[] body = Fixtures.bytes("openai/responses-stream-tool-call.sse");
    List<ChatEvent> whole = Fixtures.decodeWhole(responses.streamDecoder(), body);

    StreamDecoder bytewise = responses.streamDecoder();
    assertThat(Fixtures.decodeBytewise(bytewise, body)).isEqualTo(whole);
    assertThat(bytewise.completed()).isTrue();
    assertThat(Fixtures.decodeRandomChunks(responses.streamDecoder(), body, 7)).isEqualTo(whole);
    assertThat(whole).contains(new ChatEvent.Usage(new TokenCounts(57, 0, 0, 19, 0)),
        new ChatEvent.Finish(FinishReason.tool_calls));
  }

  @Test
  void shouldNotCallAStreamCompleteWithoutItsCompletionEvent() {
    byte[] body = Fixtures.bytes("openai/responses-stream-tool-call.sse");
    String text = new String(body, StandardCharsets.UTF_8);
    byte[] cut = text.substring(0, text.indexOf("event: response.completed")).getBytes(StandardCharsets.UTF_8);

    StreamDecoder decoder = responses.streamDecoder();
    Fixtures.decodeWhole(decoder, cut);

    assertThat(decoder.completed()).isFalse();
  }

  @Test
  void shouldEndAResponsesStreamWithAnErrorEventAndNoCompletionWhenTheProviderFails() {
    ChatRequest request = responses.decodeRequest(Fixtures.parse("{\"model\":\"m\",\"input\":\"Hello\",\"stream\":true}"));

    String written = relay(anthropic.streamDecoder(), Fixtures.bytes("anthropic/stream-error.sse"), responses.streamEncoder(request));

    assertThat(written).contains("event: error\ndata: {\"type\":\"error\",")
        .contains("\"code\":\"upstream_error\"")
        .doesNotContain("response.completed");
  }

  @Test
  void shouldReadResponsesStreamFailures() {
    String failed = "event: response.failed\ndata: {\"type\":\"response.failed\",\"sequence_number\":3,"
        + "\"response\":{\"id\":\"resp_1\",\"status\":\"failed\",\"error\":{\"code\":\"rate_limit_exceeded\",\"message\":\"slow down\"}}}\n\n";

    List<ChatEvent> events = Fixtures.decodeWhole(responses.streamDecoder(), failed.getBytes(StandardCharsets.UTF_8));

    assertThat(events).last().isInstanceOfSatisfying(ChatEvent.Failure.class,
        f -> assertThat(f.error().reason()).isEqualTo(ErrorReason.UPSTREAM_RATE_LIMITED));
  }

  private ChatCodec codec(String name) {
    return switch (name) {
      case "openai" -> openai;
      case "anthropic" -> anthropic;
      case "gemini" -> gemini;
      default -> responses;
    };
  }

  /** Decodes a provider stream and encodes each event for the client, as the proxy's relay does. */
  private static String relay(StreamDecoder decoder, byte[] body, StreamEncoder encoder) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    GatewayException failure = null;
    for (ChatEvent event : Fixtures.decodeWhole(decoder, body)) {
      if (event instanceof ChatEvent.Failure f) {
        failure = f.error();
        break;
      }
      out.writeBytes(encoder.encode(event));
    }
    out.writeBytes(encoder.finish(failure));
    return out.toString(StandardCharsets.UTF_8);
  }
}
