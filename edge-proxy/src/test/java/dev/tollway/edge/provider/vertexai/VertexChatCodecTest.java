package dev.tollway.edge.provider.vertexai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.ChatResponse;
import dev.tollway.edge.llm.FinishReason;
import dev.tollway.edge.llm.StreamDecoder;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.Fixtures;
import dev.tollway.edge.provider.anthropic.AnthropicChatCodec;
import dev.tollway.edge.provider.gemini.GeminiChatCodec;
import dev.tollway.edge.provider.openai.OpenAiChatCodec;
import dev.tollway.edge.provider.wire.IdSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Vertex AI's Gemini and Claude models behind one codec: requests by model, answers and streams by shape. */
class VertexChatCodecTest {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);

  private final GeminiChatCodec gemini = new GeminiChatCodec(IdSource.counting());
  private final AnthropicChatCodec anthropic = new AnthropicChatCodec(IdSource.counting());
  private final VertexChatCodec codec = new VertexChatCodec(gemini, anthropic);
  private final OpenAiChatCodec openai = new OpenAiChatCodec(CLOCK, IdSource.counting());

  // ---- requests ------------------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"gemini-2.5-flash", "google/gemini-2.5-flash", "publishers/google/models/gemini-2.5-flash"})
  void shouldSendGeminiModelsTheGeminiBody(String model) {
    // Given an OpenAI request with tools for a Gemini model on Vertex
    ChatRequest request = openai.decodeRequest(Fixtures.json("openai/request-tools.json")).withModel(model);

    // When encoded
    JsonNode body = codec.encodeRequest(request);

    // Then it is exactly the Gemini translation
    assertThat(Fixtures.canonical(body)).isEqualTo(Fixtures.json("translate/openai-tools-to-gemini.json"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"claude-sonnet-4@20250514", "anthropic/claude-sonnet-4@20250514"})
  void shouldSendClaudeModelsTheAnthropicBodyWithoutModelAndWithVertexsVersion(String model) {
    // Given an OpenAI request with tools for a Claude model on Vertex
    ChatRequest request = openai.decodeRequest(Fixtures.json("openai/request-tools.json")).withModel(model);

    // When encoded
    JsonNode body = codec.encodeRequest(request);

    // Then it is the Anthropic translation, without model and with anthropic_version vertex-2023-10-16
    ObjectNode expected = (ObjectNode) Fixtures.json("translate/openai-tools-to-anthropic.json");
    expected.remove("model");
    expected.put("anthropic_version", "vertex-2023-10-16");
    assertThat(Fixtures.canonical(body)).isEqualTo(expected);
  }

  @Test
  void shouldKeepAnAnthropicClientsBodyForClaudeOnVertex() {
    // Given an Anthropic client's streamed request, routed to Claude on Vertex
    ChatRequest request = anthropic.decodeRequest(Fixtures.json("anthropic/request-tool-use.json")).withModel("claude-sonnet-4@20250514");

    // When encoded
    JsonNode body = codec.encodeRequest(request);

    // Then every field the client sent is kept, stream included, with only model and version changed
    ObjectNode expected = (ObjectNode) Fixtures.json("anthropic/request-tool-use.json");
    expected.remove("model");
    expected.put("anthropic_version", "vertex-2023-10-16");
    assertThat(Fixtures.canonical(body)).isEqualTo(expected);
  }

  @Test
  void shouldRefuseModelsOfOtherPublishers() {
    ChatRequest request = openai.decodeRequest(Fixtures.json("openai/request-text.json")).withModel("meta/llama-4-maverick-17b-128e-instruct-maas");

    assertThatThrownBy(() -> codec.encodeRequest(request))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST))
        .hasMessageContaining("Tollway serves Google (Gemini) and Anthropic (Claude) models on Vertex AI, not meta");
  }

  // ---- responses -----------------------------------------------------------------------------------------

  @Test
  void shouldDecodeAGeminiAnswerAsGemini() {
    ChatResponse response = codec.decodeResponse(Fixtures.json("vertexai/response-gemini.json"));

    assertThat(response.format()).isEqualTo(ChatFormat.GEMINI_GENERATE_CONTENT);
    assertThat(response.finishReason()).isEqualTo(FinishReason.stop);
    assertThat(response.usage()).isEqualTo(new TokenCounts(9, 0, 0, 21, 0));
    assertThat(response.model()).isEqualTo("gemini-2.5-flash");
  }

  @Test
  void shouldDecodeAClaudeAnswerAsAnthropicWithTheCacheInTheInput() {
    ChatResponse response = codec.decodeResponse(Fixtures.json("vertexai/response-claude.json"));

    assertThat(response.format()).isEqualTo(ChatFormat.ANTHROPIC_MESSAGES);
    assertThat(response.id()).isEqualTo("msg_vrtx_01WbR8kXUt5bYpGZzL7mVmG5");
    assertThat(response.usage()).isEqualTo(new TokenCounts(2062, 2048, 0, 12, 0));
  }

  @Test
  void shouldGiveAClientOfTheSameFormatTheProvidersAnswerUnchanged() {
    ChatRequest request = anthropic.decodeRequest(Fixtures.json("anthropic/request-tool-use.json"));
    ChatResponse response = codec.decodeResponse(Fixtures.json("vertexai/response-claude.json"));

    assertThat(anthropic.encodeResponse(response, request)).isEqualTo(Fixtures.json("vertexai/response-claude.json"));
  }

  @Test
  void shouldRejectAnAnswerOfNeitherShape() {
    assertThatThrownBy(() -> codec.decodeResponse(Fixtures.parse("{\"predictions\":[]}")))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.UPSTREAM_ERROR))
        .hasMessage("vertexai answered with a body that is neither a Gemini nor an Anthropic answer");
  }

  // ---- streams -------------------------------------------------------------------------------------------

  static Stream<Arguments> streams() {
    return Stream.of(Arguments.of("vertexai/stream-gemini.sse", "gemini"), Arguments.of("vertexai/stream-claude.sse", "anthropic"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void shouldDecodeEachStreamAsItsOwnFormatWhateverTheChunking(String fixture, String format) {
    // Given a Vertex stream, and what its own format's decoder makes of it
    byte[] body = Fixtures.bytes(fixture);
    StreamDecoder own = format.equals("gemini") ? gemini.streamDecoder() : anthropic.streamDecoder();
    List<ChatEvent> expected = Fixtures.decodeWhole(own, body);

    // When the Vertex decoder is fed whole, byte by byte and in random chunks
    StreamDecoder whole = codec.streamDecoder();
    StreamDecoder bytewise = codec.streamDecoder();

    // Then it gives the same events and is complete
    assertThat(expected).isNotEmpty().anyMatch(e -> e instanceof ChatEvent.Finish).noneMatch(e -> e instanceof ChatEvent.Failure);
    assertThat(Fixtures.decodeWhole(whole, body)).isEqualTo(expected);
    assertThat(Fixtures.decodeBytewise(bytewise, body)).isEqualTo(expected);
    for (long seed = 1; seed <= 10; seed++) {
      StreamDecoder random = codec.streamDecoder();
      assertThat(Fixtures.decodeRandomChunks(random, body, seed)).as("seed %d", seed).isEqualTo(expected);
      assertThat(random.completed()).isTrue();
    }
    assertThat(whole.completed()).isTrue();
    assertThat(bytewise.completed()).isTrue();
  }

  @Test
  void shouldCountTheClaudeStreamsCacheIntoTheInput() {
    List<ChatEvent> events = Fixtures.decodeWhole(codec.streamDecoder(), Fixtures.bytes("vertexai/stream-claude.sse"));

    assertThat(events).last().isEqualTo(new ChatEvent.Usage(new TokenCounts(2062, 2048, 0, 12, 0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void shouldNotBeCompletedWhenTheStreamIsCut(String fixture, String format) {
    String text = Fixtures.text(fixture);
    int lastEvent = text.stripTrailing().lastIndexOf(format.equals("gemini") ? "data:" : "event:");
    byte[] cut = Arrays.copyOf(Fixtures.bytes(fixture), text.substring(0, lastEvent).getBytes(StandardCharsets.UTF_8).length);

    StreamDecoder decoder = codec.streamDecoder();
    List<ChatEvent> events = Fixtures.decodeWhole(decoder, cut);

    assertThat(events).noneMatch(e -> e instanceof ChatEvent.Failure);
    assertThat(decoder.completed()).isFalse();
  }

  @Test
  void shouldNotBeCompletedForAnEmptyBody() {
    StreamDecoder decoder = codec.streamDecoder();

    assertThat(Fixtures.decodeWhole(decoder, new byte[0])).isEmpty();
    assertThat(decoder.completed()).isFalse();
  }

  @Test
  void shouldDecideOnAFirstEventThatOnlyEndsWithTheBody() {
    // a one-event Gemini body without the closing blank line
    byte[] body = ("data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hi\"}]},\"finishReason\":\"STOP\"}],"
        + "\"usageMetadata\":{\"promptTokenCount\":2,\"candidatesTokenCount\":1,\"totalTokenCount\":3}}").getBytes(StandardCharsets.UTF_8);

    StreamDecoder decoder = codec.streamDecoder();
    List<ChatEvent> events = Fixtures.decodeWhole(decoder, body);

    assertThat(events).contains(new ChatEvent.TextDelta("Hi"), new ChatEvent.Finish(FinishReason.stop));
    assertThat(decoder.completed()).isTrue();
  }

  // ---- errors --------------------------------------------------------------------------------------------

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(429, "vertexai/error-429.json", ErrorReason.UPSTREAM_RATE_LIMITED, 429,
            "vertexai rate limit: Resource exhausted. Please try again later. Please refer to "
                + "https://cloud.google.com/vertex-ai/generative-ai/docs/error-code-429 for more details."),
        Arguments.of(404, "vertexai/error-404-model.json", ErrorReason.UPSTREAM_BAD_REQUEST, 404,
            "Publisher Model `projects/my-project/locations/us-central1/publishers/google/models/gemini-9.9-flash` "
                + "was not found or your project does not have access to it."),
        Arguments.of(403, "vertexai/error-403.json", ErrorReason.UPSTREAM_UNAUTHORIZED, 502,
            "vertexai rejected the gateway's credential (403)"),
        Arguments.of(400, "vertexai/error-claude-400.json", ErrorReason.UPSTREAM_BAD_REQUEST, 400,
            "messages: roles must alternate between \"user\" and \"assistant\", but found multiple \"user\" roles in a row"),
        Arguments.of(503, null, ErrorReason.UPSTREAM_ERROR, 502, "vertexai error (503): no message"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("errors")
  void shouldMapErrorsOfBothShapes(int status, @Nullable String fixture, ErrorReason reason, int clientStatus, String message) {
    GatewayException error = codec.decodeError(status, fixture == null ? null : Fixtures.json(fixture), Duration.ofSeconds(3));

    assertThat(error.reason()).isEqualTo(reason);
    assertThat(error.status()).isEqualTo(clientStatus);
    assertThat(error.getMessage()).isEqualTo(message);
  }

  @Test
  void shouldRefuseToServeVertexToClients() {
    assertThatThrownBy(() -> codec.decodeRequest(Fixtures.json("gemini/request-function-calling.json")))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.NOT_IMPLEMENTED));
  }
}
