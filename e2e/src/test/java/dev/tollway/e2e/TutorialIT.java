package dev.tollway.e2e;

import static dev.tollway.e2e.support.TollwayStack.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.tollway.e2e.support.KafkaFixture;
import dev.tollway.e2e.support.TollwayStack;
import dev.tollway.local.fake.RecordedRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tutorial in {@code shared/seed}, step by step, through the real pipeline: the manifests are applied to the
 * folder config-service watches, snapshots travel over Kafka to edge-proxy, the official OpenAI Java SDK calls
 * the proxy, fake Gemini and Anthropic providers answer in their own wire formats, and usage-streams counts it
 * all. Steps build on each other, as in the tutorial.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TutorialIT {

  private static final Logger LOG = LoggerFactory.getLogger(TutorialIT.class);
  private static final String QUESTION = "What is Kubernetes in one sentence?";
  private static final String TUTORIAL_BODY =
      "{\"messages\": [{\"role\": \"user\", \"content\": \"" + QUESTION + "\"}]}";
  private static final Duration ROUTING = Duration.ofSeconds(30);

  @RegisterExtension
  static final KafkaFixture KAFKA = new KafkaFixture();

  private TollwayStack tollway;

  @BeforeAll
  void startTollway() {
    tollway = TollwayStack.start(KAFKA);
  }

  @AfterAll
  void stopTollway() {
    if (tollway != null) {
      tollway.close();
    }
  }

  @Test
  @Order(1)
  void catchAllRouteShouldSendTheTutorialsCurlToGemini() {
    // Given the Gateway, the Gemini Secret and backend, and the catch-all HTTPRoute (tutorial steps 01-03)
    tollway.apply("tutorial/01-gateway.yaml");
    tollway.apply("tutorial/gemini-secret.yaml");
    tollway.apply("tutorial/llm/gemini/02-backend-gemini.yaml");
    tollway.apply("tutorial/llm/03-httproute.yaml");

    // When the tutorial's curl is sent: no model, no key
    HttpResponse<String> response = awaitStatus("/v1/chat/completions", 200);

    // Then Gemini got a native generateContent call with the backend's model and the Secret's key
    RecordedRequest received = lastRequestTo("gemini");
    assertThat(received.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(received.header("x-goog-api-key")).hasValue("test-gemini-key");
    assertThat(received.header("authorization")).isEmpty();
    assertThat(received.json().at("/contents/0/role").asText()).isEqualTo("user");
    assertThat(received.json().at("/contents/0/parts/0/text").asText()).isEqualTo(QUESTION);
    // and the client got an OpenAI chat completion with Gemini's answer and usage
    JsonNode answer = json(response.body());
    assertThat(answer.path("object").asText()).isEqualTo("chat.completion");
    assertThat(answer.at("/choices/0/message/content").asText()).contains("fake gemini answering gemini-2.5-flash");
    assertThat(answer.at("/usage/prompt_tokens").asLong()).isEqualTo(received.reply().inputTokens());
    assertThat(answer.at("/usage/completion_tokens").asLong()).isEqualTo(received.reply().outputTokens());
  }

  @Test
  @Order(2)
  void openAiSdkShouldGetGeminiAnswersStreamingAndNot() {
    // Given the catch-all route to Gemini, and the official OpenAI SDK pointed at the proxy with its own key
    OpenAIClient client = sdk("/v1");

    // When it asks for a completion, and then for a stream with usage
    ChatCompletion completion = client.chat().completions().create(params("gpt-4o-mini").build());
    RecordedRequest plain = lastRequestTo("gemini");
    Streamed streamed = stream(client, params("gpt-4o-mini")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());
    RecordedRequest stream = lastRequestTo("gemini");

    // Then the backend's model overrode the SDK's, the client's key stayed at the proxy
    assertThat(plain.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(plain.header("x-goog-api-key")).hasValue("test-gemini-key");
    assertThat(plain.headers().toString()).doesNotContain("sk-client-key");
    assertThat(completion.model()).isEqualTo("gemini-2.5-flash");
    assertThat(completion.choices().get(0).message().content()).hasValueSatisfying(
        text -> assertThat(text).contains("fake gemini answering gemini-2.5-flash"));
    assertThat(completion.usage().map(CompletionUsage::totalTokens))
        .hasValue((long) plain.reply().inputTokens() + plain.reply().outputTokens());
    // and the stream went to streamGenerateContent, arrived in pieces, and ended with usage
    assertThat(stream.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    assertThat(stream.query()).isEqualTo("alt=sse");
    assertThat(streamed.contentChunks()).isGreaterThan(1);
    assertThat(streamed.text()).isEqualTo(completion.choices().get(0).message().content().orElseThrow());
    assertThat(streamed.usage()).hasValueSatisfying(usage -> {
      assertThat(usage.promptTokens()).isEqualTo(stream.reply().inputTokens());
      assertThat(usage.completionTokens()).isEqualTo(stream.reply().outputTokens());
    });
  }

  @Test
  @Order(3)
  void pathRouteShouldReplaceTheCatchAllRoute() {
    // Given the catch-all route serves
    assertThat(tollway.post("/v1/chat/completions", TUTORIAL_BODY).statusCode()).isEqualTo(200);

    // When 04 is applied: the same HTTPRoute name with a /ai/gemini prefix and a rewrite to /
    // (the catch-all also answers /ai/gemini/..., so the switch shows as the catch-all's path turning 404)
    long applied = System.nanoTime();
    tollway.apply("tutorial/llm/04-httproute-gemini.yaml");
    HttpResponse<String> old = awaitStatus("/v1/chat/completions", 404);
    LOG.info("route change: HTTPRoute file written -> new routing in {} ms", (System.nanoTime() - applied) / 1_000_000);

    // Then the old catch-all is gone, and /ai/gemini reaches Gemini with the prefix stripped
    assertThat(tollway.post("/ai/gemini/v1/chat/completions", TUTORIAL_BODY).statusCode()).isEqualTo(200);
    assertThat(lastRequestTo("gemini").path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    assertThat(json(old.body()).at("/error/message").asText()).contains("no route");
    assertThatThrownBy(() -> sdk("/v1").chat().completions().create(params("gpt-4o").build()))
        .isInstanceOf(NotFoundException.class);
    // and the SDK streams from the new path
    Streamed streamed = stream(sdk("/ai/gemini/v1"), params("gpt-4o").build());
    assertThat(lastRequestTo("gemini").path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
    assertThat(streamed.text()).contains("fake gemini answering gemini-2.5-flash");
    assertThat(streamed.finishReason()).isEqualTo("stop");
  }

  @Test
  @Order(4)
  void claudeRouteShouldTranslateToAnthropicMessages() {
    // Given the Anthropic Secret and backend and the two-rule HTTPRoute (tutorial steps 05-06)
    tollway.apply("tutorial/anthropic-secret.yaml");
    tollway.apply("tutorial/llm/anthropic/05-backend-anthropic.yaml");
    tollway.apply("tutorial/llm/06-httproute-anthropic.yaml");

    // When the tutorial's curl goes to /ai/claude, and the SDK streams from there
    HttpResponse<String> response = awaitStatus("/ai/claude/v1/chat/completions", 200);
    RecordedRequest received = lastRequestTo("anthropic");
    Streamed streamed = stream(sdk("/ai/claude/v1"), params("gpt-4o").build());
    RecordedRequest streamRequest = lastRequestTo("anthropic");

    // Then Anthropic got a Messages call with its key header, its version and the required max_tokens
    assertThat(received.path()).isEqualTo("/v1/messages");
    assertThat(received.header("x-api-key")).hasValue("test-anthropic-key");
    assertThat(received.header("anthropic-version")).hasValue("2023-06-01");
    assertThat(received.header("authorization")).isEmpty();
    assertThat(received.json().path("model").asText()).isEqualTo("claude-sonnet-4-20250514");
    assertThat(received.json().path("max_tokens").asLong()).isEqualTo(4096);
    assertThat(received.json().at("/messages/0/content").toString()).contains(QUESTION);
    JsonNode answer = json(response.body());
    assertThat(answer.at("/choices/0/message/content").asText())
        .contains("fake anthropic answering claude-sonnet-4-20250514");
    assertThat(answer.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(answer.at("/usage/prompt_tokens").asLong()).isEqualTo(received.reply().inputTokens());
    // and the stream was translated event by event into OpenAI chunks
    assertThat(streamRequest.json().path("stream").asBoolean()).isTrue();
    assertThat(streamed.contentChunks()).isGreaterThan(1);
    assertThat(streamed.text()).contains("fake anthropic answering claude-sonnet-4-20250514");
    assertThat(streamed.finishReason()).isEqualTo("stop");
    // and /ai/gemini still goes to Gemini
    assertThat(tollway.post("/ai/gemini/v1/chat/completions", TUTORIAL_BODY).statusCode()).isEqualTo(200);
    assertThat(lastRequestTo("gemini").path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
  }

  @Test
  @Order(5)
  void badRequestsShouldGetOpenAiErrors() {
    // Given the routes of step 06
    // When requests are malformed or go nowhere, then each gets the right status in OpenAI's error shape
    assertOpenAiError(tollway.post("/ai/claude/v1/chat/completions", "this is not json"), 400);
    assertOpenAiError(tollway.post("/ai/claude/v1/chat/completions", "{\"model\":\"x\"}"), 400);
    assertOpenAiError(tollway.post("/nowhere", TUTORIAL_BODY), 404);
  }

  @Test
  @Order(6)
  void brokenBackendsShouldFailOnlyTheirOwnRoutes() {
    // Given a route to a backend that does not exist, and a backend whose Secret is missing
    tollway.applyYaml("zz-broken.yaml", """
        apiVersion: agentgateway.dev/v1alpha1
        kind: AgentgatewayBackend
        metadata:
          name: openai-no-secret
        spec:
          ai:
            provider:
              openai:
                model: gpt-4.1-mini
          policies:
            auth:
              secretRef:
                name: openai-secret
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata:
          name: broken-routes
        spec:
          parentRefs:
          - name: agentgateway
          rules:
          - matches:
            - path: {type: PathPrefix, value: /ai/missing}
            backendRefs:
            - {name: does-not-exist, group: agentgateway.dev, kind: AgentgatewayBackend}
          - matches:
            - path: {type: PathPrefix, value: /ai/openai}
            backendRefs:
            - {name: openai-no-secret, group: agentgateway.dev, kind: AgentgatewayBackend}
        """);

    // When they are called
    HttpResponse<String> missing = awaitStatus("/ai/missing/v1/chat/completions", 500);
    HttpResponse<String> noSecret = awaitStatus("/ai/openai/v1/chat/completions", 500);

    // Then each answers 500 naming what is wrong, and the tutorial's routes keep serving
    assertOpenAiError(missing, 500);
    assertThat(json(missing.body()).at("/error/message").asText()).contains("does-not-exist");
    assertOpenAiError(noSecret, 500);
    assertThat(json(noSecret.body()).at("/error/message").asText()).contains("openai-secret");
    assertThat(tollway.post("/ai/claude/v1/chat/completions", TUTORIAL_BODY).statusCode()).isEqualTo(200);
    assertThat(tollway.post("/ai/gemini/v1/chat/completions", TUTORIAL_BODY).statusCode()).isEqualTo(200);
    // and config-service reported the conditions (its pass is recorded after the proxy may already route on it)
    await().atMost(ROUTING).untilAsserted(() -> assertThat(tollway.stack().configService().lastCycle())
        .hasValueSatisfying(cycle ->
            assertThat(cycle.result().statuses().toString()).contains("BackendNotFound").contains("openai-secret")));
  }

  @Test
  @Order(7)
  void deletingTheRouteFileShouldRemoveItsRoutes() {
    // Given /ai/claude serves (from 06)
    assertThat(tollway.post("/ai/claude/v1/chat/completions", TUTORIAL_BODY).statusCode()).isEqualTo(200);

    // When 06 is deleted, 04's llm-route is the one left
    tollway.delete("tutorial/llm/06-httproute-anthropic.yaml");

    // Then /ai/claude is gone and /ai/gemini remains
    awaitStatus("/ai/claude/v1/chat/completions", 404);
    assertThat(tollway.post("/ai/gemini/v1/chat/completions", TUTORIAL_BODY).statusCode()).isEqualTo(200);
  }

  @Test
  @Order(8)
  void usageShouldAddUpEveryAnsweredRequest() {
    // Given every answer the fake providers gave so far
    long geminiRequests = answered("gemini").size();
    long geminiInput = answered("gemini").stream().mapToLong(r -> r.reply().inputTokens()).sum();
    long geminiOutput = answered("gemini").stream().mapToLong(r -> r.reply().outputTokens()).sum();
    long claudeRequests = answered("anthropic").size();
    long claudeOutput = answered("anthropic").stream().mapToLong(r -> r.reply().outputTokens()).sum();

    // When usage-streams is asked for usage by model, then its totals match, request for request
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      JsonNode rows = json(tollway.get(tollway.usageUrl() + "/v1/usage?groupBy=model").body()).path("rows");
      JsonNode gemini = row(rows, "model", "gemini-2.5-flash");
      assertThat(gemini.path("requests").asLong()).isEqualTo(geminiRequests);
      assertThat(gemini.path("inputTokens").asLong()).isEqualTo(geminiInput);
      assertThat(gemini.path("outputTokens").asLong()).isEqualTo(geminiOutput);
      assertThat(gemini.path("totalTokens").asLong()).isEqualTo(geminiInput + geminiOutput);
      JsonNode claude = row(rows, "model", "claude-sonnet-4-20250514");
      assertThat(claude.path("requests").asLong()).isEqualTo(claudeRequests);
      assertThat(claude.path("outputTokens").asLong()).isEqualTo(claudeOutput);
    });
    JsonNode byRoute = json(tollway.get(tollway.usageUrl() + "/v1/usage?groupBy=route").body()).path("rows");
    assertThat(row(byRoute, "route", "default/llm-route#0").path("requests").asLong()).isPositive();
  }

  // ---- helpers ------------------------------------------------------------------------------------------

  private HttpResponse<String> awaitStatus(String path, int status) {
    AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
    await().atMost(ROUTING).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
      last.set(tollway.post(path, TUTORIAL_BODY));
      assertThat(last.get().statusCode()).as(last.get().body()).isEqualTo(status);
    });
    return last.get();
  }

  private RecordedRequest lastRequestTo(String provider) {
    List<RecordedRequest> requests = tollway.fake().requests().stream()
        .filter(r -> provider.equals(r.provider())).toList();
    assertThat(requests).as("requests received by the fake " + provider).isNotEmpty();
    return requests.get(requests.size() - 1);
  }

  private List<RecordedRequest> answered(String provider) {
    return tollway.fake().requests().stream()
        .filter(r -> provider.equals(r.provider()) && r.reply().status() == 200).toList();
  }

  private OpenAIClient sdk(String basePath) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(tollway.gatewayUrl() + basePath)
        .apiKey("sk-client-key")
        .maxRetries(0)
        .build();
  }

  private static ChatCompletionCreateParams.Builder params(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage(QUESTION);
  }

  private record Streamed(String text, int contentChunks, String finishReason, Optional<CompletionUsage> usage) {}

  private static Streamed stream(OpenAIClient client, ChatCompletionCreateParams params) {
    StringBuilder text = new StringBuilder();
    List<String> finish = new ArrayList<>();
    AtomicReference<CompletionUsage> usage = new AtomicReference<>();
    int[] chunks = {0};
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunk -> {
        chunk.usage().ifPresent(usage::set);
        for (ChatCompletionChunk.Choice choice : chunk.choices()) {
          choice.delta().content().filter(c -> !c.isEmpty()).ifPresent(c -> {
            text.append(c);
            chunks[0]++;
          });
          choice.finishReason().ifPresent(reason -> finish.add(reason.asString()));
        }
      });
    }
    return new Streamed(text.toString(), chunks[0], finish.isEmpty() ? "" : finish.get(0),
        Optional.ofNullable(usage.get()));
  }

  private static void assertOpenAiError(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode error = json(response.body()).path("error");
    assertThat(error.path("message").asText()).isNotBlank();
    assertThat(error.path("type").asText()).isNotBlank();
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private static JsonNode row(JsonNode rows, String field, String value) {
    for (JsonNode row : rows) {
      if (value.equals(row.path(field).asText())) {
        return row;
      }
    }
    throw new AssertionError("no row with " + field + "=" + value + " in " + rows);
  }
}
