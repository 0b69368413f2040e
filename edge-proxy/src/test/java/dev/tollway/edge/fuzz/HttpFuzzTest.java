package dev.tollway.edge.fuzz;

import static dev.tollway.edge.testing.TestSnapshots.aiBackend;
import static dev.tollway.edge.testing.TestSnapshots.catchAll;
import static dev.tollway.edge.testing.TestSnapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.testing.FakeProvider;
import dev.tollway.edge.testing.TestStack;
import dev.tollway.edge.provider.ProviderProtocols;
import dev.tollway.schemas.crypto.SnapshotCipher;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.snapshot.Provider.ProviderType;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile request bodies through the whole proxy: never a 5xx, never a stack trace in a response. */
class HttpFuzzTest {

  @TempDir Path stateDir;

  @Test
  void shouldAnswerEveryHostileBodyBelow500WithoutAStackTrace() throws Exception {
    try (FakeProvider provider = new FakeProvider();
        TestStack stack = TestStack.start(stateDir, Clock.systemUTC(), Map.of(), SnapshotCipher.generate(), null, true,
            ProviderProtocols.system())) {
      // Given the real protocols, and a catch-all route to an OpenAI-format provider that answers every request
      provider.answer(FakeProvider.json(200,
          java.nio.file.Files.readString(Path.of("src/test/resources/fixtures/openai/response-text.json"))));
      stack.publish(snapshot(List.of(catchAll("default/r", "default/b")),
          Map.of("default/b", aiBackend(stack.cipher, "default/b", ProviderType.openai, provider.port(), "m"))));
      stack.awaitReady();
      JsonNode seed = Json.mapper().readTree(
          "{\"model\":\"m\",\"stream\":false,\"max_tokens\":10,\"messages\":[{\"role\":\"system\",\"content\":\"s\"},"
              + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}],\"temperature\":0.5}");
      Mutator mutator = new Mutator(7L);
      List<String> failures = new ArrayList<>();

      // When 300 hostile bodies are posted
      for (int i = 0; i < 300; i++) {
        byte[] body = i % 4 == 3 ? mutator.damage(Json.mapper().writeValueAsBytes(seed))
            : Json.mapper().writeValueAsBytes(mutator.mutate(seed));
        HttpResponse<String> response = stack.http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.port() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 500 || response.body().contains("Exception") || response.body().contains("\tat ")) {
          failures.add("#" + i + " " + response.statusCode() + " " + response.body());
        }
      }

      // Then
      assertThat(failures).isEmpty();
    }
  }
}
