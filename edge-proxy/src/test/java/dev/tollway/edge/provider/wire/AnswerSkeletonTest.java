package dev.tollway.edge.provider.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.schemas.serde.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
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

  @Test
  void shouldBuildTheKeptFieldsAsAWholeParseWouldForEveryFixtureAndRandomValues() throws Exception {
    // Given every JSON fixture of every provider, and seeded random answers whose kept fields hold any JSON
    List<String> bodies = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/test/resources/fixtures"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        bodies.add(Files.readString(file));
      }
    }
    Random random = new Random(20261126L);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder body = new StringBuilder("{\"choices\":[{\"text\":\"skipped\"}]");
      for (String field : List.of("model", "usage", "usageMetadata", "modelVersion", "usage")) {
        if (random.nextInt(3) > 0) {
          body.append(",\"").append(field).append("\":");
          value(random, body, 0);
        }
      }
      bodies.add(body.append('}').toString());
    }

    for (String body : bodies) {
      // When the skeleton is read, then its fields are those of the whole document parsed by the mapper
      JsonNode whole = Json.mapper().readTree(body);
      ObjectNode expected = whole instanceof ObjectNode object
          ? object.retain("model", "modelVersion", "usage", "usageMetadata")
          : null;
      assertThat(parse(body)).as(body).isEqualTo(expected);
    }
  }

  /** A random JSON value: every token type, numbers of every size and form, escapes, duplicate keys. */
  private static void value(Random random, StringBuilder out, int depth) {
    int kind = random.nextInt(depth > 3 ? 8 : 10);
    switch (kind) {
      case 0 -> out.append(random.nextInt(1000));
      case 1 -> out.append(random.nextBoolean() ? Long.MAX_VALUE - random.nextInt(10) : -random.nextInt(Integer.MAX_VALUE));
      case 2 -> out.append(random.nextBoolean() ? "123456789012345678901234567890" : "-0");
      case 3 -> out.append(List.of("1.5", "-0.0", "1e2", "2.5E-3", "1E+400", "0.1", "12345678.9012345678")
          .get(random.nextInt(7)));
      case 4 -> out.append(List.of("\"gpt-4o\"", "\"caf\\u00e9 \\\"q\\\" \\n\"", "\"\"", "\"\u00e9\uD83D\uDE00\"")
          .get(random.nextInt(4)));
      case 5 -> out.append(random.nextBoolean());
      case 6, 7 -> out.append("null");
      case 8 -> {
        out.append('[');
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            out.append(',');
          }
          value(random, out, depth + 1);
        }
        out.append(']');
      }
      default -> {
        out.append('{');
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            out.append(',');
          }
          out.append("\"k").append(random.nextInt(3)).append("\":"); // repeats keys now and then
          value(random, out, depth + 1);
        }
        out.append('}');
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "[1,2]", "\"text\"", "{\"model\":\"m\"", "{\"model\":\"m\"} trailing", "not json",
      "{\"choices\":[}", "{\"usage\":{\"a\":[1,2}}", "{\"usage\":{\"a\":1", "{\"model\":[1,"})
  void shouldTellAnswersThatAreNotOneJsonObject(String body) {
    assertThat(parse(body)).isNull();
  }
}
