package dev.tollway.edge;

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
import dev.tollway.schemas.snapshot.AiBackend.FieldValue;
import dev.tollway.schemas.snapshot.Backend;
import dev.tollway.schemas.snapshot.Provider.ProviderType;
import dev.tollway.schemas.usage.UsageEvent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An OpenAI chat request to an OpenAI backend goes upstream as the client's bytes when nothing in it changes,
 * and through the decoder and encoder as before when something does (another model, a policy, a stream); bad
 * bodies are refused as before.
 */
class SameApiRelayTest {

  /** Spacing, number forms and escapes that a parse and re-encode would not keep. */
  private static final String BODY = "{ \"model\" : \"gpt-4o-mini\",\n  \"messages\": [ {\"role\":\"user\","
      + "\"content\":\"caf\\u00e9 \\/ \u00e9\"} ],\n  \"temperature\": 1.50, \"x_extra\": {\"n\": 1e2}, \"logit_bias\": {\"50256\": -100} }";

  @TempDir Path stateDir;
  private FakeProvider provider;
  private TestStack stack;

  @BeforeEach
  void setUp() {
    provider = new FakeProvider();
    provider.answer(FakeProvider.json(200, Fixtures.text("openai/response-text.json")));
    stack = TestStack.start(stateDir, Clock.systemUTC(), ProviderProtocols.system());
  }

  @AfterEach
  void tearDown() {
    stack.close();
    provider.close();
  }

  private void serve(ProviderType type, @Nullable String providerModel, AiPolicy policy) {
    Backend backend = aiBackend(stack.cipher, "default/llm", type, provider.port(), providerModel, policy);
    stack.publish(snapshot(List.of(catchAll("default/route", "default/llm")), Map.of("default/llm", backend)));
    stack.awaitReady();
  }

  private static AiPolicy aliases(Map<String, String> aliases) {
    return new AiPolicy(new TreeMap<>(), new TreeMap<>(aliases));
  }

  private static JsonNode json(String body) {
    return Fixtures.parse(body);
  }

  @Test
  void shouldSendTheClientsBytesUpstreamWhenNothingInTheBodyChanges() throws Exception {
    // Given an OpenAI backend that keeps the request's model and has no policy
    serve(ProviderType.openai, null, AiPolicy.none());

    // When an OpenAI client sends a chat request
    HttpResponse<String> response = stack.post("/v1/chat/completions", BODY, "x-request-id", "as-sent-1");

    // Then the provider got the client's bytes, and the answer and usage are as always
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(provider.last().body()).isEqualTo(BODY);
    assertThat(provider.last().path()).isEqualTo("/v1/chat/completions");
    UsageEvent usage = stack.usageOf("as-sent-1");
    assertThat(usage.requestModel()).isEqualTo("gpt-4o-mini");
    assertThat(usage.providerModel()).isEqualTo("gpt-4o-mini");
    assertThat(usage.streamed()).isFalse();
    assertThat(usage.tokens().totalTokens()).isPositive();
  }

  @Test
  void shouldStillRewriteTheModelWhenAnAliasOrTheProvidersOwnModelApplies() throws Exception {
    // Given an alias on an OpenAI backend
    serve(ProviderType.openai, null, aliases(Map.of("gpt-4o-mini", "gpt-4.1-nano")));

    // When a client names the aliased model, then the provider gets the alias's target in an otherwise equal body
    assertThat(stack.post("/v1/chat/completions", BODY).statusCode()).isEqualTo(200);
    assertThat(json(provider.last().body())).isEqualTo(withModel(BODY, "gpt-4.1-nano"));

    // Given a provider with a model of its own, then that model replaces the client's
    serve(ProviderType.openai, "gpt-4o", AiPolicy.none());
    assertThat(stack.post("/v1/chat/completions", BODY).statusCode()).isEqualTo(200);
    assertThat(json(provider.last().body())).isEqualTo(withModel(BODY, "gpt-4o"));
  }

  @Test
  void shouldStillApplyAPolicyAndAskAStreamForItsUsage() throws Exception {
    // Given a policy that overrides a field
    serve(ProviderType.openai, null, new AiPolicy(new TreeMap<>(), new TreeMap<>(), List.of(),
        List.of(new FieldValue("temperature", json("0"))), List.of(), List.of()));

    // When a client sends the body, then the override is in what the provider got
    assertThat(stack.post("/v1/chat/completions", BODY).statusCode()).isEqualTo(200);
    assertThat(provider.last().body()).isNotEqualTo(BODY);
    assertThat(json(provider.last().body()).get("temperature").asInt()).isZero();

    // Given no policy, when a client asks for a stream, then the provider is asked for the stream's usage
    serve(ProviderType.openai, null, AiPolicy.none());
    provider.answer(FakeProvider.sse(List.of("data: [DONE]\n\n"), null, false));
    stack.post("/v1/chat/completions", BODY.replace("\"temperature\"", "\"stream\": true, \"temperature\""));
    assertThat(json(provider.last().body()).path("stream_options").path("include_usage").asBoolean()).isTrue();
  }

  @Test
  void shouldRefuseBadBodiesInOpenAisShapeWithoutCallingTheProvider() throws Exception {
    // Given an OpenAI backend that would relay a good body as it is
    serve(ProviderType.openai, null, aliases(Map.of("aliased", "gpt-4o")));

    // When bodies are not JSON, break a limit, or are not a chat request
    Map<String, String> refusals = Map.of(
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}", "not valid JSON",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"role\":\"user\",\"content\":\"hi\"}]}", "a field appears twice",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":1" + "0".repeat(100) + "}]}", "longer than 100 digits",
        "{\"model\":\"m\",\"messages\":[]}", "messages: expected at least one element",
        // relayed as it is it would go to the provider, but the alias needs it decoded: refused as before
        "{\"model\":\"aliased\",\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}", "messages[0].role");

    // Then each is a 400 in OpenAI's error shape saying why, and the provider was never called
    refusals.forEach((body, reason) -> {
      HttpResponse<String> response = send(body);
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(json(response.body()).path("error").path("message").asText()).as(body).contains(reason);
    });
    assertThat(provider.received()).isEmpty();
  }

  private HttpResponse<String> send(String body) {
    try {
      return stack.post("/v1/chat/completions", body);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode withModel(String body, String model) {
    com.fasterxml.jackson.databind.node.ObjectNode json = (com.fasterxml.jackson.databind.node.ObjectNode) json(body);
    json.put("model", model);
    return json;
  }
}
