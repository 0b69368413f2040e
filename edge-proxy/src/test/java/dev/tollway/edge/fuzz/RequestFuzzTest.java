package dev.tollway.edge.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.pipeline.RequestLimits;
import dev.tollway.edge.provider.ProviderProtocols;
import dev.tollway.schemas.serde.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Seeded random requests for every client API the codecs read (OpenAI chat, Anthropic messages, Gemini
 * generateContent), parsed with the proxy's limits, decoded, and translated to every provider format: each
 * either works or is refused with a 4xx {@link GatewayException} — no other exception, no 5xx — in bounded time.
 * A failure names the seed and the input that caused it.
 */
class RequestFuzzTest {

  private static final long SEED = 20261126L;
  private static final int MUTATIONS_PER_SEED = 300;
  private static final long MAX_MILLIS_PER_INPUT = 2_000;
  private static final List<ChatFormat> PROVIDER_FORMATS = List.of(ChatFormat.OPENAI_CHAT,
      ChatFormat.ANTHROPIC_MESSAGES, ChatFormat.GEMINI_GENERATE_CONTENT, ChatFormat.BEDROCK_CONVERSE, ChatFormat.VERTEX_AI);

  private final RequestLimits limits = RequestLimits.defaults();

  @Test
  void shouldRefuseOrTranslateEveryHostileRequestWithoutA5xxOrAnEscapingException() throws IOException {
    List<String> failures = new ArrayList<>();
    long slowest = 0;
    int inputs = 0;
    for (ChatFormat clientFormat : List.of(ChatFormat.OPENAI_CHAT, ChatFormat.ANTHROPIC_MESSAGES,
        ChatFormat.GEMINI_GENERATE_CONTENT)) {
      ChatCodec client = ProviderProtocols.codec(clientFormat);
      for (Path seedFile : requests(clientFormat)) {
        JsonNode seed = Json.mapper().readTree(Files.readAllBytes(seedFile));
        Mutator mutator = new Mutator(SEED ^ seedFile.getFileName().toString().hashCode());
        for (int i = 0; i < MUTATIONS_PER_SEED; i++) {
          byte[] body = i % 5 == 4
              ? mutator.damage(Json.mapper().writeValueAsBytes(seed))
              : Json.mapper().writeValueAsBytes(mutator.mutate(seed));
          long started = System.nanoTime();
          String problem = check(client, body);
          long millis = (System.nanoTime() - started) / 1_000_000;
          slowest = Math.max(slowest, millis);
          inputs++;
          if (problem != null) {
            failures.add(clientFormat + " " + seedFile.getFileName() + " #" + i + ": " + problem + " <- "
                + abbreviate(new String(body, java.nio.charset.StandardCharsets.UTF_8)));
          } else if (millis > MAX_MILLIS_PER_INPUT) {
            failures.add(clientFormat + " " + seedFile.getFileName() + " #" + i + ": took " + millis + " ms");
          }
        }
      }
    }
    assertThat(inputs).isGreaterThan(1_000);
    assertThat(failures).as("inputs=%d slowest=%d ms", inputs, slowest).isEmpty();
  }

  /** Null when the body was handled correctly, else what went wrong. */
  private String check(ChatCodec client, byte[] body) {
    ChatRequest request;
    try {
      request = client.decodeRequest(limits.parseObject(body));
    } catch (GatewayException e) {
      return e.status() >= 400 && e.status() < 500 ? null : "decode answered " + e.status() + " " + e.getMessage();
    } catch (RuntimeException | StackOverflowError e) {
      return "decode threw " + e;
    }
    for (ChatFormat format : PROVIDER_FORMATS) {
      try {
        ProviderProtocols.codec(format).encodeRequest(request.withModel(request.model() == null ? "m" : request.model()));
      } catch (GatewayException e) {
        if (e.status() >= 500) {
          return "encode to " + format + " answered " + e.status() + " " + e.getMessage();
        }
      } catch (RuntimeException | StackOverflowError e) {
        return "encode to " + format + " threw " + e;
      }
    }
    return null;
  }

  private static List<Path> requests(ChatFormat format) throws IOException {
    String folder = switch (format) {
      case OPENAI_CHAT -> "openai";
      case ANTHROPIC_MESSAGES -> "anthropic";
      default -> "gemini";
    };
    Path dir = Path.of("src/test/resources/fixtures", folder);
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("request-")).sorted().toList();
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
