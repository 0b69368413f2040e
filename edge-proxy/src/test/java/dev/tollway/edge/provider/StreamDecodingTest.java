package dev.tollway.edge.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.StreamDecoder;
import dev.tollway.edge.provider.anthropic.AnthropicChatCodec;
import dev.tollway.edge.provider.gemini.GeminiChatCodec;
import dev.tollway.edge.provider.openai.OpenAiChatCodec;
import dev.tollway.edge.provider.wire.IdSource;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fixture stream of every provider, in every chunking, cut short. */
class StreamDecodingTest {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);

  static Stream<Arguments> completeStreams() {
    Supplier<ChatCodec> openai = () -> new OpenAiChatCodec(CLOCK, IdSource.counting());
    Supplier<ChatCodec> anthropic = () -> new AnthropicChatCodec(IdSource.counting());
    Supplier<ChatCodec> gemini = () -> new GeminiChatCodec(IdSource.counting());
    return Stream.of(
        Arguments.of("openai/stream-text.sse", openai),
        Arguments.of("openai/stream-tool-calls.sse", openai),
        Arguments.of("anthropic/stream-text.sse", anthropic),
        Arguments.of("anthropic/stream-tool-use.sse", anthropic),
        Arguments.of("anthropic/stream-thinking.sse", anthropic),
        Arguments.of("anthropic/stream-cache.sse", anthropic),
        Arguments.of("gemini/stream-text.sse", gemini),
        Arguments.of("gemini/stream-function-call.sse", gemini));
  }

  static Stream<Arguments> failingStreams() {
    return Stream.of(
        Arguments.of("openai/stream-error.sse", (Supplier<ChatCodec>) () -> new OpenAiChatCodec(CLOCK, IdSource.counting())),
        Arguments.of("anthropic/stream-error.sse", (Supplier<ChatCodec>) () -> new AnthropicChatCodec(IdSource.counting())),
        Arguments.of("gemini/stream-error.sse", (Supplier<ChatCodec>) () -> new GeminiChatCodec(IdSource.counting())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("completeStreams")
  void shouldDecodeTheSameEventsWhateverTheChunking(String fixture, Supplier<ChatCodec> codec) {
    // Given a provider's stream
    byte[] body = Fixtures.bytes(fixture);

    // When fed whole, one byte at a time and in random chunks
    StreamDecoder whole = codec.get().streamDecoder();
    List<ChatEvent> expected = Fixtures.decodeWhole(whole, body);
    StreamDecoder bytewise = codec.get().streamDecoder();
    List<ChatEvent> byByte = Fixtures.decodeBytewise(bytewise, body);

    // Then every chunking gives the same events, and the stream is complete
    assertThat(expected).isNotEmpty().first().isInstanceOf(ChatEvent.Start.class);
    assertThat(expected).anyMatch(e -> e instanceof ChatEvent.Finish);
    assertThat(expected).noneMatch(e -> e instanceof ChatEvent.Failure);
    assertThat(byByte).isEqualTo(expected);
    for (long seed = 1; seed <= 20; seed++) {
      StreamDecoder random = codec.get().streamDecoder();
      assertThat(Fixtures.decodeRandomChunks(random, body, seed)).as("seed %d", seed).isEqualTo(expected);
      assertThat(random.completed()).isTrue();
    }
    assertThat(whole.completed()).isTrue();
    assertThat(bytewise.completed()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("completeStreams")
  void shouldNotBeCompletedWhenTheStreamIsCutBeforeItsEnd(String fixture, Supplier<ChatCodec> codec) {
    // Given a provider's stream cut before its last event
    byte[] body = Fixtures.bytes(fixture);
    String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
    int lastEvent = text.stripTrailing().lastIndexOf("data:");
    byte[] cut = Arrays.copyOf(body, text.substring(0, lastEvent).getBytes(java.nio.charset.StandardCharsets.UTF_8).length);

    // When decoded to the end of the body
    StreamDecoder decoder = codec.get().streamDecoder();
    List<ChatEvent> events = Fixtures.decodeWhole(decoder, cut);

    // Then what came is decoded, but the stream is not complete
    assertThat(events).noneMatch(e -> e instanceof ChatEvent.Failure);
    assertThat(decoder.completed()).isFalse();

    // And cut in the middle of its last event, it is not complete either
    StreamDecoder midEvent = codec.get().streamDecoder();
    Fixtures.decodeWhole(midEvent, Arrays.copyOf(body, cut.length + 8));
    assertThat(midEvent.completed()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failingStreams")
  void shouldEndWithAFailureOnAnErrorEventMidStream(String fixture, Supplier<ChatCodec> codec) {
    // Given a stream that reports an error after some text
    byte[] body = Fixtures.bytes(fixture);

    // When decoded byte by byte
    StreamDecoder decoder = codec.get().streamDecoder();
    List<ChatEvent> events = Fixtures.decodeBytewise(decoder, body);

    // Then the text before it is kept, the failure is the last event, and the stream is not complete
    assertThat(events).anyMatch(e -> e instanceof ChatEvent.TextDelta);
    assertThat(events.get(events.size() - 1)).isInstanceOf(ChatEvent.Failure.class);
    assertThat(decoder.completed()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("completeStreams")
  void shouldFailOnAnEventThatIsNotJson(String fixture, Supplier<ChatCodec> codec) {
    // Given a valid stream start followed by garbage
    byte[] body = Fixtures.concat(List.of(
        Arrays.copyOf(Fixtures.bytes(fixture), firstEventEnd(Fixtures.text(fixture))),
        "data: {not json\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    // When decoded
    StreamDecoder decoder = codec.get().streamDecoder();
    List<ChatEvent> events = Fixtures.decodeWhole(decoder, body);

    // Then it ends with a failure naming the problem
    assertThat(events.get(events.size() - 1))
        .isInstanceOfSatisfying(
            ChatEvent.Failure.class,
            f -> assertThat(f.error().getMessage()).contains("not JSON"));
    assertThat(decoder.completed()).isFalse();
  }

  /** Where the first event ends: after its blank line, whatever the line ends. */
  private static int firstEventEnd(String text) {
    java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(\r\n|\n|\r){2}").matcher(text);
    if (!matcher.find()) {
      throw new IllegalArgumentException("no blank line");
    }
    return text.substring(0, matcher.end()).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }
}
