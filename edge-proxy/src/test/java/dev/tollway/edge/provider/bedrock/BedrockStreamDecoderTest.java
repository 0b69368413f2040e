package dev.tollway.edge.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.FinishReason;
import dev.tollway.edge.llm.StreamDecoder;
import dev.tollway.edge.llm.StreamEncoder;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.Fixtures;
import dev.tollway.edge.provider.anthropic.AnthropicChatCodec;
import dev.tollway.edge.provider.openai.OpenAiChatCodec;
import dev.tollway.edge.provider.wire.IdSource;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ConverseStream's binary event stream, decoded in any chunking, cut, corrupt or failing. */
class BedrockStreamDecoderTest {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);

  private final BedrockChatCodec codec = new BedrockChatCodec();

  @Test
  void shouldDecodeATextStream() {
    List<ChatEvent> events = Fixtures.decodeWhole(codec.streamDecoder(), EventStreams.fixture("bedrock/stream-text.events.json"));

    assertThat(events).containsExactly(
        new ChatEvent.Start(null, null),
        new ChatEvent.TextDelta("Kubernetes is"),
        new ChatEvent.TextDelta(" an open-source container orchestrator."),
        new ChatEvent.Finish(FinishReason.stop),
        new ChatEvent.Usage(new TokenCounts(17, 0, 0, 12, 0)));
  }

  @Test
  void shouldDecodeParallelToolCallsWithIndexesCountedOverToolCallsAndCacheInclusiveUsage() {
    List<ChatEvent> events = Fixtures.decodeWhole(codec.streamDecoder(), EventStreams.fixture("bedrock/stream-tool-use.events.json"));

    assertThat(events).containsExactly(
        new ChatEvent.Start(null, null),
        new ChatEvent.TextDelta("Let me check both stations."),
        new ChatEvent.ToolCallStart(0, "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q", "top_song"),
        new ChatEvent.ToolCallDelta(0, "{\"sign\": "),
        new ChatEvent.ToolCallDelta(0, "\"WZPZ\"}"),
        new ChatEvent.ToolCallStart(1, "tooluse_2SZpbL4jSaiBFvXV1qdhxg", "top_song"),
        new ChatEvent.ToolCallDelta(1, "{\"sign\": \"WKRP\"}"),
        new ChatEvent.Finish(FinishReason.tool_calls),
        // inputTokens 375 exclude the cache: 375 + 1024 read + 200 written
        new ChatEvent.Usage(new TokenCounts(1599, 1024, 200, 96, 0)));
  }

  @Test
  void shouldDecodeReasoningAndItsSignature() {
    List<ChatEvent> events = Fixtures.decodeWhole(codec.streamDecoder(), EventStreams.fixture("bedrock/stream-reasoning.events.json"));

    assertThat(events).containsExactly(
        new ChatEvent.Start(null, null),
        new ChatEvent.ReasoningDelta("27 * 453: 27 * 400 = 10800, ", null),
        new ChatEvent.ReasoningDelta("27 * 53 = 1431, total 12231.", null),
        new ChatEvent.ReasoningDelta("", "ErcBCkgIAhABGAIiQMuHr2T7Yn8zQ9gCkc0Pn3Tm0OZTm3DdQ1uP"),
        new ChatEvent.TextDelta("27 × 453 = 12,231."),
        new ChatEvent.Finish(FinishReason.length),
        new ChatEvent.Usage(new TokenCounts(46, 0, 0, 120, 0)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bedrock/stream-text.events.json", "bedrock/stream-tool-use.events.json", "bedrock/stream-reasoning.events.json"})
  void shouldDecodeTheSameEventsWhateverTheChunking(String fixture) {
    // Given a ConverseStream body framed by the AWS SDK's encoder
    byte[] body = EventStreams.fixture(fixture);

    // When fed whole, one byte at a time and in random chunks
    StreamDecoder whole = codec.streamDecoder();
    List<ChatEvent> expected = Fixtures.decodeWhole(whole, body);
    StreamDecoder bytewise = codec.streamDecoder();

    // Then every chunking gives the same events, and the stream is complete
    assertThat(Fixtures.decodeBytewise(bytewise, body)).isEqualTo(expected);
    for (long seed = 1; seed <= 20; seed++) {
      StreamDecoder random = codec.streamDecoder();
      assertThat(Fixtures.decodeRandomChunks(random, body, seed)).as("seed %d", seed).isEqualTo(expected);
      assertThat(random.completed()).isTrue();
    }
    assertThat(whole.completed()).isTrue();
    assertThat(bytewise.completed()).isTrue();
    assertThat(expected).noneMatch(e -> e instanceof ChatEvent.Failure);
  }

  @Test
  void shouldNotBeCompletedWhenTheStreamIsCutBeforeItsMetadata() {
    // Given a stream cut after messageStop, before the metadata frame
    var frames = Fixtures.json("bedrock/stream-text.events.json");
    byte[] full = EventStreams.fixture("bedrock/stream-text.events.json");
    int metadataLength = EventStreams.frame(frames.get(frames.size() - 1)).length;
    byte[] cut = Arrays.copyOf(full, full.length - metadataLength);

    // When decoded to the end of the body
    StreamDecoder decoder = codec.streamDecoder();
    List<ChatEvent> events = Fixtures.decodeWhole(decoder, cut);

    // Then the text and the finish came, but the stream is not complete
    assertThat(events).contains(new ChatEvent.Finish(FinishReason.stop)).noneMatch(e -> e instanceof ChatEvent.Failure);
    assertThat(decoder.completed()).isFalse();

    // And cut in the middle of the metadata frame, it is not complete either, and nothing fails
    StreamDecoder midFrame = codec.streamDecoder();
    List<ChatEvent> partial = Fixtures.decodeWhole(midFrame, Arrays.copyOf(full, full.length - 10));
    assertThat(midFrame.completed()).isFalse();
    assertThat(partial).isEqualTo(events);
  }

  @Test
  void shouldEndWithAFailureOnAnExceptionFrameMidStream() {
    // Given text, then a throttlingException message
    byte[] body = EventStreams.fixture("bedrock/stream-exception.events.json");

    // When decoded byte by byte
    StreamDecoder decoder = codec.streamDecoder();
    List<ChatEvent> events = Fixtures.decodeBytewise(decoder, body);

    // Then the text before it is kept and the failure is a rate limit, last, and the stream is not complete
    assertThat(events).contains(new ChatEvent.TextDelta("Kubernetes is"));
    assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(ChatEvent.Failure.class, f -> {
      assertThat(f.error().reason()).isEqualTo(ErrorReason.UPSTREAM_RATE_LIMITED);
      assertThat(f.error().getMessage())
          .isEqualTo("bedrock stream error (throttlingException): Too many tokens, please wait before trying again.");
    });
    assertThat(decoder.completed()).isFalse();
  }

  @Test
  void shouldFailOnAnErrorMessageFrame() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":message-type", "error");
    headers.put(":error-code", "InternalFailure");
    headers.put(":error-message", "An internal error occurred.");
    byte[] body = Fixtures.concat(List.of(
        EventStreams.frame(Fixtures.json("bedrock/stream-text.events.json").get(0)), EventStreams.handBuilt(headers, "")));

    List<ChatEvent> events = Fixtures.decodeWhole(codec.streamDecoder(), body);

    assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(ChatEvent.Failure.class, f -> {
      assertThat(f.error().reason()).isEqualTo(ErrorReason.UPSTREAM_ERROR);
      assertThat(f.error().getMessage()).isEqualTo("bedrock stream error (InternalFailure): An internal error occurred.");
    });
  }

  @Test
  void shouldFailOnAMessageWhoseChecksumDoesNotMatchAndKeepWhatCameBefore() {
    // Given a valid first frame, then a frame with one payload byte changed (its message CRC no longer matches)
    var frames = Fixtures.json("bedrock/stream-text.events.json");
    byte[] first = EventStreams.frame(frames.get(0));
    byte[] second = EventStreams.frame(frames.get(1));
    second[second.length - 8] ^= 0x01;
    byte[] third = EventStreams.frame(frames.get(2));

    // When decoded in one chunk
    StreamDecoder decoder = codec.streamDecoder();
    List<ChatEvent> events = Fixtures.decodeWhole(decoder, Fixtures.concat(List.of(first, second, third)));

    // Then the start is kept, the corrupt frame is a failure naming the checksum, and nothing after it is decoded
    assertThat(events).hasSize(2);
    assertThat(events.get(0)).isEqualTo(new ChatEvent.Start(null, null));
    assertThat(events.get(1)).isInstanceOfSatisfying(ChatEvent.Failure.class, f -> {
      assertThat(f.error().reason()).isEqualTo(ErrorReason.UPSTREAM_ERROR);
      assertThat(f.error().getMessage()).startsWith("bedrock answered with a corrupt event stream: ").contains("checksum");
    });
    assertThat(decoder.completed()).isFalse();
    assertThat(decoder.decode(java.nio.ByteBuffer.wrap(third))).isEmpty();
  }

  @Test
  void shouldFailOnAPreludeWhoseChecksumDoesNotMatchEvenFedByteByByte() {
    byte[] frame = EventStreams.frame(Fixtures.json("bedrock/stream-text.events.json").get(1));
    frame[5] ^= 0x10; // the headers length: the prelude CRC no longer matches

    StreamDecoder decoder = codec.streamDecoder();
    List<ChatEvent> events = Fixtures.decodeBytewise(decoder, frame);

    assertThat(events).singleElement().isInstanceOfSatisfying(ChatEvent.Failure.class,
        f -> assertThat(f.error().getMessage()).contains("Prelude checksum"));
  }

  @Test
  void shouldReadFramesBuiltByHandFromTheFormatsDescription() {
    // Given frames built without the SDK: prelude, CRC32s and string headers laid out by hand
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":event-type", "contentBlockDelta");
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "event");
    byte[] delta = EventStreams.handBuilt(headers, "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"héllo\"},\"p\":\"abc\"}");
    // and the SDK encodes the same bytes for the same frame
    byte[] bySdk = EventStreams.frame(Fixtures.parse(
        "{\"headers\":{\":event-type\":\"contentBlockDelta\",\":content-type\":\"application/json\",\":message-type\":\"event\"},"
            + "\"payload\":{\"contentBlockIndex\":0,\"delta\":{\"text\":\"héllo\"},\"p\":\"abc\"}}"));
    assertThat(delta).isEqualTo(bySdk);

    // When decoded byte by byte
    List<ChatEvent> events = Fixtures.decodeBytewise(codec.streamDecoder(), delta);

    // Then the text is read
    assertThat(events).containsExactly(new ChatEvent.Start(null, null), new ChatEvent.TextDelta("héllo"));
  }

  @Test
  void shouldFailOnAnEventWhosePayloadIsNotJson() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":event-type", "contentBlockDelta");
    headers.put(":message-type", "event");

    List<ChatEvent> events = Fixtures.decodeWhole(codec.streamDecoder(), EventStreams.handBuilt(headers, "{not json"));

    assertThat(events).singleElement().isInstanceOfSatisfying(ChatEvent.Failure.class,
        f -> assertThat(f.error().getMessage()).isEqualTo("bedrock answered with an event whose payload is not JSON"));
  }

  @Test
  void shouldTranslateAToolStreamToOpenAiChunksExactly() {
    // Given an OpenAI client that asked for usage, and Bedrock's tool-use stream
    OpenAiChatCodec openai = new OpenAiChatCodec(CLOCK, IdSource.counting());
    ChatRequest request = openai.decodeRequest(Fixtures.parse(
        "{\"messages\":[{\"role\":\"user\",\"content\":\"top songs?\"}],\"stream\":true,\"stream_options\":{\"include_usage\":true}}"))
        .withModel("us.anthropic.claude-sonnet-4-20250514-v1:0");

    // When translated event by event
    String written = relay(codec.streamDecoder(), EventStreams.fixture("bedrock/stream-tool-use.events.json"), openai.streamEncoder(request));

    // Then the client gets OpenAI's exact chunk sequence, the usage chunk and [DONE]
    assertThat(written).isEqualTo(Fixtures.text("bedrock/stream-tool-use-to-openai.sse"));
  }

  @Test
  void shouldTranslateAFailingStreamToAnAnthropicErrorEventWithoutMessageStop() {
    AnthropicChatCodec anthropic = new AnthropicChatCodec(IdSource.counting());
    ChatRequest request = anthropic.decodeRequest(Fixtures.json("anthropic/request-tool-use.json"));

    String written = relay(codec.streamDecoder(), EventStreams.fixture("bedrock/stream-exception.events.json"), anthropic.streamEncoder(request));

    assertThat(written).contains("\"type\":\"text_delta\",\"text\":\"Kubernetes is\"");
    assertThat(written).endsWith(
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
            + "\"message\":\"bedrock stream error (throttlingException): Too many tokens, please wait before trying again.\"}}\n\n");
    assertThat(written).doesNotContain("message_stop");
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
