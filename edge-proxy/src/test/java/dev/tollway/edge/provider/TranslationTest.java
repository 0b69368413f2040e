package dev.tollway.edge.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.ChatResponse;
import dev.tollway.edge.llm.StreamDecoder;
import dev.tollway.edge.llm.StreamEncoder;
import dev.tollway.edge.provider.anthropic.AnthropicChatCodec;
import dev.tollway.edge.provider.gemini.GeminiChatCodec;
import dev.tollway.edge.provider.openai.OpenAiChatCodec;
import dev.tollway.edge.provider.wire.IdSource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Client format → neutral model → provider format, and back, against expected fixture files. */
class TranslationTest {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);

  private final OpenAiChatCodec openai = new OpenAiChatCodec(CLOCK, IdSource.counting());
  private final AnthropicChatCodec anthropic = new AnthropicChatCodec(IdSource.counting());
  private final GeminiChatCodec gemini = new GeminiChatCodec(IdSource.counting());

  private ChatCodec codec(String name) {
    return switch (name) {
      case "openai" -> openai;
      case "anthropic" -> anthropic;
      default -> gemini;
    };
  }

  static Stream<Arguments> requests() {
    return Stream.of(
        Arguments.of("openai", "openai/request-text.json", "anthropic", "translate/openai-text-to-anthropic.json"),
        Arguments.of("openai", "openai/request-text.json", "gemini", "translate/openai-text-to-gemini.json"),
        Arguments.of("openai", "openai/request-tools.json", "anthropic", "translate/openai-tools-to-anthropic.json"),
        Arguments.of("openai", "openai/request-tools.json", "gemini", "translate/openai-tools-to-gemini.json"),
        Arguments.of("openai", "openai/request-image.json", "anthropic", "translate/openai-image-to-anthropic.json"),
        Arguments.of("openai", "openai/request-image.json", "gemini", "translate/openai-image-to-gemini.json"),
        Arguments.of("openai", "openai/request-json-mode.json", "anthropic", "translate/openai-json-mode-to-anthropic.json"),
        Arguments.of("openai", "openai/request-json-mode.json", "gemini", "translate/openai-json-mode-to-gemini.json"),
        Arguments.of("anthropic", "anthropic/request-tool-use.json", "openai", "translate/anthropic-tool-use-to-openai.json"));
  }

  @ParameterizedTest(name = "{1} → {2}")
  @MethodSource("requests")
  void shouldTranslateRequests(String from, String fixture, String to, String expected) {
    // Given a client's request
    ChatRequest request = codec(from).decodeRequest(Fixtures.json(fixture));

    // When encoded for another provider
    JsonNode encoded = codec(to).encodeRequest(request);

    // Then it is the expected provider request
    assertThat(Fixtures.canonical(encoded)).isEqualTo(Fixtures.json(expected));
  }

  static Stream<Arguments> responses() {
    return Stream.of(
        Arguments.of("anthropic", "anthropic/response-tool-use.json", "openai", "translate/anthropic-response-tool-use-to-openai.json"),
        Arguments.of("gemini", "gemini/response-function-call.json", "openai", "translate/gemini-response-function-call-to-openai.json"),
        Arguments.of("openai", "openai/response-text.json", "anthropic", "translate/openai-response-text-to-anthropic.json"));
  }

  @ParameterizedTest(name = "{1} → {2}")
  @MethodSource("responses")
  void shouldTranslateResponses(String from, String fixture, String to, String expected) {
    // Given a provider's answer to a client of another format
    ChatRequest request = codec(to).decodeRequest(Fixtures.json(
        to.equals("anthropic") ? "anthropic/request-tool-use.json" : "openai/request-text.json"));
    ChatResponse response = codec(from).decodeResponse(Fixtures.json(fixture));

    // When encoded for the client
    JsonNode encoded = codec(to).encodeResponse(response, request.withModel(null));

    // Then it is the expected client answer
    assertThat(Fixtures.canonical(encoded)).isEqualTo(Fixtures.json(expected));
  }

  @Test
  void shouldKeepTheClientsBodyWhenTheProviderSpeaksTheSameFormat() {
    // Given an OpenAI request with a field the gateway does not model, streamed without usage asked
    JsonNode body = Fixtures.parse(
        "{\"model\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"logit_bias\":{\"50256\":-100},\"stream\":true}");
    ChatRequest request = openai.decodeRequest(body).withModel("gpt-4o");

    // When encoded for OpenAI
    JsonNode encoded = openai.encodeRequest(request);

    // Then only the model and the streamed usage are patched
    assertThat(Fixtures.canonical(encoded)).isEqualTo(Fixtures.parse(
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"logit_bias\":{\"50256\":-100},"
            + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}"));
    assertThat(body.get("model").asText()).as("the client's body is not changed").isEqualTo("x");
  }

  @Test
  void shouldFillAnthropicsRequiredMaxTokensOnlyWhenAbsent() {
    ChatRequest request = openai.decodeRequest(Fixtures.json("openai/request-text.json"));
    assertThat(anthropic.encodeRequest(request).get("max_tokens").asLong()).isEqualTo(4096);
    ChatRequest same = anthropic.decodeRequest(Fixtures.json("anthropic/request-tool-use.json")).withModel("claude-x");
    JsonNode encoded = anthropic.encodeRequest(same);
    assertThat(encoded.get("max_tokens").asLong()).isEqualTo(1024);
    assertThat(encoded.get("model").asText()).isEqualTo("claude-x");
    assertThat(encoded.get("thinking")).isEqualTo(Fixtures.json("anthropic/request-tool-use.json").get("thinking"));
  }

  @Test
  void shouldTranslateAnAnthropicStreamToOpenAiChunksExactly() {
    // Given an OpenAI client that asked for usage, and Anthropic's text stream
    ChatRequest request = openai.decodeRequest(Fixtures.parse(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"stream\":true,\"stream_options\":{\"include_usage\":true}}"));

    // When translated event by event
    String written = relay(anthropic.streamDecoder(), Fixtures.bytes("anthropic/stream-text.sse"), openai.streamEncoder(request));

    // Then the client gets OpenAI's exact chunk sequence, the usage chunk and [DONE]
    assertThat(written).isEqualTo(Fixtures.text("translate/anthropic-stream-text-to-openai.sse"));
  }

  @Test
  void shouldEndTheOpenAiStreamWithAnErrorAndNoDoneWhenTheProviderFails() {
    ChatRequest request = openai.decodeRequest(Fixtures.parse(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"stream\":true}"));

    String written = relay(anthropic.streamDecoder(), Fixtures.bytes("anthropic/stream-error.sse"), openai.streamEncoder(request));

    assertThat(written).isEqualTo(Fixtures.text("translate/anthropic-stream-error-to-openai.sse"));
    assertThat(written).doesNotContain("[DONE]");
  }

  @Test
  void shouldTranslateAnOpenAiToolStreamToAnthropicEventsExactly() {
    ChatRequest request = anthropic.decodeRequest(Fixtures.json("anthropic/request-tool-use.json"));

    String written = relay(openai.streamDecoder(), Fixtures.bytes("openai/stream-tool-calls.sse"), anthropic.streamEncoder(request));

    assertThat(written).isEqualTo(Fixtures.text("translate/openai-stream-tools-to-anthropic.sse"));
  }

  @Test
  void shouldTranslateAGeminiStreamToOpenAiWithUsageNormalized() {
    ChatRequest request = openai.decodeRequest(Fixtures.parse(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hot?\"}],\"stream\":true,\"stream_options\":{\"include_usage\":true}}"));

    String written = relay(gemini.streamDecoder(), Fixtures.bytes("gemini/stream-text.sse"), openai.streamEncoder(request));

    // text deltas, the finish, then usage with thoughts counted as reasoning output, then [DONE]
    assertThat(written).contains("\"delta\":{\"content\":\"The\"}", "\"finish_reason\":\"stop\"");
    assertThat(written).contains(
        "\"choices\":[],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":39,\"total_tokens\":47,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":29}}");
    assertThat(written).endsWith("data: [DONE]\n\n");
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
