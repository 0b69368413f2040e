package dev.tollway.edge;

import static dev.tollway.edge.testing.TestSnapshots.EVERY_CLIENT_API;
import static dev.tollway.edge.testing.TestSnapshots.aiBackend;
import static dev.tollway.edge.testing.TestSnapshots.catchAll;
import static dev.tollway.edge.testing.TestSnapshots.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.provider.Fixtures;
import dev.tollway.edge.provider.ProviderProtocols;
import dev.tollway.edge.testing.FakeProvider;
import dev.tollway.edge.testing.TestStack;
import dev.tollway.schemas.snapshot.AiBackend.AiPolicy;
import dev.tollway.schemas.snapshot.Backend;
import dev.tollway.schemas.snapshot.Provider.ProviderType;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input to every client API is answered with a 4xx in that API's own error shape — never a 500, never a
 * hang, never a call to the provider — and no client credential of any API ever reaches a provider.
 */
class ClientApiErrorsTest {

  private static final int MAX_BODY = 4096;

  @TempDir Path stateDir;
  private FakeProvider provider;
  private TestStack stack;

  @BeforeEach
  void setUp() {
    provider = new FakeProvider();
    stack = TestStack.start(stateDir, Clock.systemUTC(), Map.of("TOLLWAY_MAX_REQUEST_BYTES", String.valueOf(MAX_BODY)),
        ProviderProtocols.system());
  }

  @AfterEach
  void tearDown() {
    stack.close();
    provider.close();
  }

  private void serve(ProviderType type, String model) {
    Backend backend = aiBackend(stack.cipher, "default/b", type, provider.port(), model,
        new AiPolicy(new TreeMap<>(EVERY_CLIENT_API), new TreeMap<>()));
    stack.publish(snapshot(List.of(catchAll("default/r", "default/b")), Map.of("default/b", backend)));
    stack.awaitReady();
  }

  /** An API: its path, a body of the right shape but a field of the wrong type, its error shape. */
  private enum Api {
    OPENAI_CHAT("/v1/chat/completions", "{\"messages\":\"hi\"}", "openai"),
    OPENAI_RESPONSES("/v1/responses", "{\"input\":5}", "openai"),
    OPENAI_EMBEDDINGS("/v1/embeddings", "{\"input\":{\"text\":\"hi\"}}", "openai"),
    ANTHROPIC_MESSAGES("/v1/messages", "{\"max_tokens\":\"ten\",\"messages\":[]}", "anthropic"),
    ANTHROPIC_COUNT("/v1/messages/count_tokens", "{\"messages\":\"hi\"}", "anthropic"),
    GEMINI_GENERATE("/v1beta/models/gemini-2.5-flash:generateContent", "{\"contents\":\"hi\"}", "gemini"),
    GEMINI_STREAM("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", "{\"contents\":5}", "gemini"),
    GEMINI_COUNT("/v1beta/models/gemini-2.5-flash:countTokens", "{\"contents\":[{\"parts\":\"x\"}]}", "gemini");

    final String path;
    final String wronglyTyped;
    final String shape;

    Api(String path, String wronglyTyped, String shape) {
      this.path = path;
      this.wronglyTyped = wronglyTyped;
      this.shape = shape;
    }
  }

  static Stream<Arguments> badInputs() {
    Stream.Builder<Arguments> cases = Stream.builder();
    for (Api api : Api.values()) {
      cases.add(Arguments.of(api, "malformed", "this is not json", 400));
      cases.add(Arguments.of(api, "truncated", "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"", 400));
      cases.add(Arguments.of(api, "wrongly typed", api.wronglyTyped, 400));
      cases.add(Arguments.of(api, "not an object", "[1,2,3]", 400));
      cases.add(Arguments.of(api, "empty", "", 400));
      cases.add(Arguments.of(api, "oversized", "{\"input\":\"" + "x".repeat(MAX_BODY) + "\"}", 413));
    }
    return cases.build();
  }

  @ParameterizedTest(name = "{0} {1} → {3}")
  @MethodSource("badInputs")
  void shouldAnswerBadInputWithA4xxInTheApisOwnErrorShape(Api api, String kind, String body, int status) throws Exception {
    // Given every client API served by one backend
    serve(ProviderType.openai, "gpt-4o");

    // When a bad body is sent
    HttpResponse<String> response = stack.post(api.path, body, "Content-Type", "application/json");

    // Then it is refused in the API's own error shape, before any provider call
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode error = Fixtures.parse(response.body());
    switch (api.shape) {
      case "openai" -> {
        assertThat(error.at("/error/message").asText()).isNotBlank();
        assertThat(error.at("/error/type").asText()).isEqualTo("invalid_request_error");
      }
      case "anthropic" -> {
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.at("/error/type").asText()).isEqualTo(status == 413 ? "request_too_large" : "invalid_request_error");
      }
      default -> {
        assertThat(error.at("/error/code").asInt()).isEqualTo(status);
        assertThat(error.at("/error/status").asText()).isEqualTo("INVALID_ARGUMENT");
      }
    }
    assertThat(provider.received()).isEmpty();
  }

  static Stream<Arguments> everyApi() {
    return Stream.of(
        Arguments.of("chat", ProviderType.anthropic, "POST", "/v1/chat/completions",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Fixtures.text("anthropic/response-text.json")),
        Arguments.of("responses", ProviderType.openai, "POST", "/v1/responses", "{\"input\":\"hi\"}",
            Fixtures.text("openai/responses-response-tool-call.json")),
        Arguments.of("messages", ProviderType.gemini, "POST", "/v1/messages",
            "{\"max_tokens\":9,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Fixtures.text("gemini/response-text.json")),
        Arguments.of("count_tokens", ProviderType.anthropic, "POST", "/v1/messages/count_tokens",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "{\"input_tokens\":3}"),
        Arguments.of("generateContent", ProviderType.anthropic, "POST", "/v1beta/models/g:generateContent",
            "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}", Fixtures.text("anthropic/response-text.json")),
        Arguments.of("countTokens", ProviderType.gemini, "POST", "/v1beta/models/g:countTokens",
            "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}", "{\"totalTokens\":3}"),
        Arguments.of("embeddings", ProviderType.openai, "POST", "/v1/embeddings", "{\"input\":\"hi\"}",
            "{\"data\":[{\"index\":0,\"embedding\":[0.5]}],\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}"),
        Arguments.of("models", ProviderType.openai, "GET", "/v1/models", "", "{\"data\":[{\"id\":\"gpt-4o\"}]}"),
        Arguments.of("passthrough", ProviderType.openai, "POST", "/v1/files?purpose=x", "{}", "{\"id\":\"file-1\"}"));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("everyApi")
  void shouldNeverForwardAnyClientCredentialOfAnyApi(
      String api, ProviderType type, String method, String path, String body, String answer) throws Exception {
    // Given a backend holding its own key
    serve(type, api.equals("models") ? null : "m-1");
    provider.answer(FakeProvider.json(200, answer));

    // When a client sends every kind of key there is
    String withKey = path + (path.contains("?") ? "&" : "?") + "key=client-query";
    HttpResponse<String> response = stack.send(method, withKey, body, "Authorization", "Bearer client-bearer",
        "x-api-key", "client-x", "x-goog-api-key", "client-goog", "api-key", "client-azure", "Cookie", "s=client-cookie");

    // Then the provider saw none of them, only its own key
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    FakeProvider.Received upstream = provider.last();
    assertThat(upstream.path()).doesNotContain("client-");
    assertThat(upstream.headers().values().stream().flatMap(List::stream)).noneMatch(v -> v.contains("client-"));
    assertThat(upstream.headers().toString()).contains(dev.tollway.edge.testing.TestSnapshots.PROVIDER_KEY);
  }
}
