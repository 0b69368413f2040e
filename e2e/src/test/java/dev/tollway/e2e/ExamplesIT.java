package dev.tollway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollway.config.PublishCycle;
import dev.tollway.e2e.support.KafkaFixture;
import dev.tollway.local.LocalOptions;
import dev.tollway.local.LocalStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The folders of {@code examples/} as a user runs them with {@code ./tollway local}: they must keep working. */
class ExamplesIT {

  @RegisterExtension
  static final KafkaFixture KAFKA = new KafkaFixture();

  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final String QUESTION =
      "{\"messages\": [{\"role\": \"user\", \"content\": \"What is Kubernetes in one sentence?\"}]}";

  @Test
  void offlineExampleShouldAnswerOnEveryRouteThroughTheFakeProvider() throws Exception {
    // Given ./tollway local --config examples/offline --fake-provider (any port)
    try (LocalStack stack = start(EXAMPLES.resolve("offline"), 0, Map.of(), new CopyOnWriteArrayList<>())) {
      await().atMost(Duration.ofSeconds(60)).until(() -> stack.edgeProxy().localPort(80).isPresent());
      int port = stack.edgeProxy().localPort(80).orElseThrow();

      // When the README's curl goes to each provider's path
      for (String path : List.of("/ai/openai", "/ai/claude", "/ai/gemini")) {
        HttpResponse<String> answer = await().atMost(Duration.ofSeconds(30))
            .until(() -> post(port, path + "/v1/chat/completions"), r -> r.statusCode() == 200);

        // Then the fake provider answers, and says it is a fake
        assertThat(answer.body()).contains("chat.completion").contains("(fake ");
      }
    }
  }

  @Test
  void quickstartExampleShouldCompileWithEveryBackendAcceptedWhenTheKeysAreSet() throws Exception {
    // Given the quickstart with the three keys in the environment
    List<PublishCycle> cycles = new CopyOnWriteArrayList<>();
    Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-test", "ANTHROPIC_API_KEY", "sk-ant-test",
        "GEMINI_API_KEY", "AIza-test");

    // When config-service reads it
    try (LocalStack stack = start(EXAMPLES.resolve("quickstart"), null, env, cycles)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> !cycles.isEmpty());

      // Then the three routes are published and no resource has a problem
      PublishCycle cycle = cycles.get(cycles.size() - 1);
      assertThat(cycle.result().snapshots().get("default/agentgateway").routes()).hasSize(3);
      assertThat(cycle.result().problems()).isEmpty();
      assertThat(cycle.sourceProblems()).isEmpty();
    }
  }

  private static LocalStack start(Path config, Integer fakeProviderPort, Map<String, String> env,
      List<PublishCycle> cycles) throws IOException {
    LocalOptions options = new LocalOptions(config.toAbsolutePath().normalize(), Map.of(80, 0), "127.0.0.1", 0, 0,
        Files.createTempDirectory("tollway-example"), fakeProviderPort, KAFKA.bootstrapServers(), false);
    return LocalStack.start(options, env, Clock.systemUTC(), cycles::add);
  }

  private static HttpResponse<String> post(int port, String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(QUESTION))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
