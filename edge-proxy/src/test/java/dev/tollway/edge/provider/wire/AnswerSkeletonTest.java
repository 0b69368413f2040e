package dev.tollway.edge.provider.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.TokenCounts;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AnswerSkeletonTest {

  private static ObjectNode parse(String json) {
    return AnswerSkeleton.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldKeepTheModelAndTheCountsAndSkipTheContent() {
    ObjectNode skeleton = parse("{\"id\":\"c1\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\"a long answer\",\"model\":\"not this one\"}}],"
        + "\"usage\":{\"prompt_tokens\":2006,\"completion_tokens\":300,\"prompt_tokens_details\":{\"cached_tokens\":1920},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":256}},\"created\":1}");

    assertThat(skeleton.fieldNames()).toIterable().containsExactly("model", "usage");
    assertThat(UsageShapes.model(skeleton)).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(UsageShapes.find(skeleton)).isEqualTo(new TokenCounts(2006, 1920, 0, 300, 256));
  }

  @Test
  void shouldKeepGeminisModelVersionAndUsageMetadata() {
    ObjectNode skeleton = parse("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"hi\"}]}}],"
        + "\"usageMetadata\":{\"promptTokenCount\":7,\"candidatesTokenCount\":3},\"modelVersion\":\"gemini-2.5-flash\"}");

    assertThat(UsageShapes.model(skeleton)).isEqualTo("gemini-2.5-flash");
    assertThat(UsageShapes.find(skeleton)).isEqualTo(new TokenCounts(7, 0, 0, 3, 0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "[1,2]", "\"text\"", "{\"model\":\"m\"", "{\"model\":\"m\"} trailing", "not json",
      "{\"choices\":[}"})
  void shouldTellAnswersThatAreNotOneJsonObject(String body) {
    assertThat(parse(body)).isNull();
  }
}
