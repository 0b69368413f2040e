package dev.tollway.edge.provider.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Usage found in any API's answer or event, with the neutral meaning. */
class UsageShapesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "openai chat      | {\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":9,\"prompt_tokens_details\":{\"cached_tokens\":8},\"completion_tokens_details\":{\"reasoning_tokens\":4}}} | 20,8,0,9,4",
    "openai embedding | {\"object\":\"list\",\"usage\":{\"prompt_tokens\":8,\"total_tokens\":8}}                                        | 8,0,0,0,0",
    "responses        | {\"usage\":{\"input_tokens\":291,\"input_tokens_details\":{\"cached_tokens\":128},\"output_tokens\":23,\"output_tokens_details\":{\"reasoning_tokens\":12},\"total_tokens\":314}} | 291,128,0,23,12",
    "responses event  | {\"type\":\"response.completed\",\"response\":{\"usage\":{\"input_tokens\":5,\"output_tokens\":2,\"total_tokens\":7}}} | 5,0,0,2,0",
    "anthropic        | {\"usage\":{\"input_tokens\":21,\"cache_creation_input_tokens\":100,\"cache_read_input_tokens\":50,\"output_tokens\":3}} | 171,50,100,3,0",
    "anthropic start  | {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}               | 25,0,0,1,0",
    "bedrock          | {\"usage\":{\"inputTokens\":30,\"outputTokens\":7,\"cacheReadInputTokens\":10,\"cacheWriteInputTokens\":2}} | 42,10,2,7,0",
    "gemini           | {\"usageMetadata\":{\"promptTokenCount\":8,\"cachedContentTokenCount\":2,\"candidatesTokenCount\":10,\"thoughtsTokenCount\":29}} | 8,2,0,39,29",
  })
  void shouldFindUsageInEveryApisShape(String name, String json, String expected) {
    String[] n = expected.split(",");
    assertThat(UsageShapes.find(Fixtures.parse(json))).isEqualTo(new TokenCounts(
        Long.parseLong(n[0]), Long.parseLong(n[1]), Long.parseLong(n[2]), Long.parseLong(n[3]), Long.parseLong(n[4])));
  }

  @Test
  void shouldFindNothingWhereThereIsNoUsage() {
    assertThat(UsageShapes.find(Fixtures.parse("{\"id\":\"file-1\"}"))).isNull();
    assertThat(UsageShapes.find(Fixtures.parse("{\"usage\":{\"requests\":3}}"))).isNull();
    assertThat(UsageShapes.find(Fixtures.parse("[1]"))).isNull();
  }

  @Test
  void shouldKeepTheLargestOfCumulativeCounts() {
    TokenCounts start = new TokenCounts(25, 0, 0, 1, 0);
    TokenCounts delta = new TokenCounts(0, 0, 0, 15, 0);

    assertThat(UsageShapes.merge(UsageShapes.merge(null, start), delta)).isEqualTo(new TokenCounts(25, 0, 0, 15, 0));
  }

  @Test
  void shouldTellTheEndOfEachStream() {
    assertThat(UsageShapes.endsStream(Fixtures.parse("{\"type\":\"message_stop\"}"))).isTrue();
    assertThat(UsageShapes.endsStream(Fixtures.parse("{\"type\":\"response.completed\"}"))).isTrue();
    assertThat(UsageShapes.endsStream(Fixtures.parse("{\"candidates\":[{\"finishReason\":\"STOP\"}]}"))).isTrue();
    assertThat(UsageShapes.endsStream(Fixtures.parse("{\"candidates\":[{\"content\":{}}]}"))).isFalse();
  }
}
