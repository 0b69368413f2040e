package dev.tollway.local.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The fakes' Responses API, Azure paths, embeddings, model lists and token counting, in each real wire format. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FakeProviderEndpointsTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private FakeProviderServer server;

  @BeforeAll
  void startServer() {
    server = FakeProviderServer.start();
  }

  @AfterAll
  void stopServer() {
    server.close();
  }

  @BeforeEach
  void forgetEarlierRequests() {
    server.clearRequests();
    server.resetBehaviours();
  }

  private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldAnswerTheResponsesApiWithAFunctionCallWhenAskedAboutTheWeather() throws Exception {
    String body = "{\"model\":\"gpt-4.1\",\"input\":[{\"role\":\"user\",\"content\":\"What is the weather in Paris?\"}],"
        + "\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\","
        + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}]}";

    HttpResponse<String> response = send("POST", "/v1/responses", body, "Authorization", "Bearer k");

    JsonNode json = MAPPER.readTree(response.body());
    assertThat(json.path("object").asText()).isEqualTo("response");
    assertThat(json.path("status").asText()).isEqualTo("completed");
    assertThat(json.at("/output/0/type").asText()).isEqualTo("function_call");
    assertThat(json.at("/output/0/arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
    assertThat(json.at("/usage/input_tokens").asInt()).isEqualTo(FakeTokens.count("What is the weather in Paris?"));
  }

  @Test
  void shouldStreamTheResponsesApiAsNumberedNamedEventsEndingWithCompleted() throws Exception {
    HttpResponse<String> response = send("POST", "/v1/responses",
        "{\"model\":\"gpt-4.1\",\"input\":\"What is Kubernetes?\",\"stream\":true}", "Authorization", "Bearer k");

    List<String> types = new ArrayList<>();
    List<Integer> sequence = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (String event : response.body().split("\n\n")) {
      String[] lines = event.split("\n");
      JsonNode data = MAPPER.readTree(lines[1].substring("data: ".length()));
      assertThat(lines[0]).isEqualTo("event: " + data.path("type").asText());
      types.add(data.path("type").asText());
      sequence.add(data.path("sequence_number").asInt());
      if (data.path("type").asText().equals("response.output_text.delta")) {
        text.append(data.path("delta").asText());
      }
    }
    assertThat(types).startsWith("response.created", "response.in_progress", "response.output_item.added",
        "response.content_part.added", "response.output_text.delta").endsWith("response.completed");
    assertThat(sequence).isSorted().startsWith(0, 1, 2);
    assertThat(text.toString()).isEqualTo(FakeAnswer.replyText("openai", "gpt-4.1"));
  }

  @Test
  void shouldServeAzuresV1PathsWithAnApiKeyOnly() throws Exception {
    String chat = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    HttpResponse<String> ok = send("POST", "/openai/v1/chat/completions", chat, "api-key", "az");
    HttpResponse<String> bearer = send("POST", "/openai/v1/chat/completions", chat, "Authorization", "Bearer az");

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(MAPPER.readTree(ok.body()).path("object").asText()).isEqualTo("chat.completion");
    assertThat(bearer.statusCode()).isEqualTo(401);
    assertThat(server.requests()).extracting(RecordedRequest::provider).containsOnly("azureopenai");
  }

  @Test
  void shouldEmbedDeterministicallyAsFloatsOrBase64() throws Exception {
    HttpResponse<String> floats = send("POST", "/v1/embeddings",
        "{\"model\":\"text-embedding-3-small\",\"input\":[\"Kubernetes\",\"Kafka\"],\"dimensions\":4}",
        "Authorization", "Bearer k");
    HttpResponse<String> base64 = send("POST", "/v1/embeddings",
        "{\"model\":\"text-embedding-3-small\",\"input\":\"Kubernetes\",\"encoding_format\":\"base64\",\"dimensions\":4}",
        "Authorization", "Bearer k");

    JsonNode json = MAPPER.readTree(floats.body());
    assertThat(json.path("data")).hasSize(2);
    assertThat(json.at("/data/0/embedding")).hasSize(4);
    assertThat(json.at("/data/0/embedding/0").floatValue()).isEqualTo(FakeUtilities.vector("Kubernetes", 4)[0]);
    assertThat(json.at("/usage/prompt_tokens").asInt()).isEqualTo(FakeTokens.count("Kubernetes") + FakeTokens.count("Kafka"));
    assertThat(MAPPER.readTree(base64.body()).at("/data/0/embedding").asText()).hasSize(24); // 16 bytes
  }

  @Test
  void shouldEmbedAndCountWithGeminiCheckingTheBatchModel() throws Exception {
    HttpResponse<String> embedded = send("POST", "/v1beta/models/gemini-embedding-001:batchEmbedContents",
        "{\"requests\":[{\"model\":\"models/gemini-embedding-001\",\"content\":{\"parts\":[{\"text\":\"hi\"}]}}]}",
        "x-goog-api-key", "g");
    HttpResponse<String> wrongModel = send("POST", "/v1beta/models/gemini-embedding-001:batchEmbedContents",
        "{\"requests\":[{\"model\":\"models/other\",\"content\":{\"parts\":[{\"text\":\"hi\"}]}}]}", "x-goog-api-key", "g");
    HttpResponse<String> counted = send("POST", "/v1beta/models/gemini-2.5-flash:countTokens",
        "{\"generateContentRequest\":{\"model\":\"models/gemini-2.5-flash\",\"contents\":[{\"parts\":[{\"text\":\"What is Kubernetes?\"}]}]}}",
        "x-goog-api-key", "g");

    assertThat(MAPPER.readTree(embedded.body()).at("/embeddings/0/values")).hasSize(8);
    assertThat(wrongModel.statusCode()).isEqualTo(400);
    assertThat(MAPPER.readTree(counted.body()).path("totalTokens").asInt()).isEqualTo(FakeTokens.count("What is Kubernetes?"));
  }

  @Test
  void shouldCountAnthropicTokensAndRefuseWhatCountTokensDoesNotTake() throws Exception {
    String body = "{\"model\":\"claude-sonnet-4-5\",\"system\":\"You help.\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    HttpResponse<String> counted = send("POST", "/v1/messages/count_tokens", body,
        "x-api-key", "a", "anthropic-version", "2023-06-01");
    HttpResponse<String> withMaxTokens = send("POST", "/v1/messages/count_tokens",
        body.replace("{\"model\"", "{\"max_tokens\":5,\"model\""), "x-api-key", "a", "anthropic-version", "2023-06-01");

    assertThat(counted.body()).isEqualTo("{\"input_tokens\":" + (FakeTokens.count("You help.") + FakeTokens.count("hi")) + "}");
    assertThat(withMaxTokens.statusCode()).isEqualTo(400);
    assertThat(MAPPER.readTree(withMaxTokens.body()).at("/error/message").asText())
        .isEqualTo("max_tokens: Extra inputs are not permitted");
  }

  @Test
  void shouldListModelsInEachProvidersShapeWithGetOnly() throws Exception {
    JsonNode openai = MAPPER.readTree(send("GET", "/v1/models", "", "Authorization", "Bearer k").body());
    JsonNode anthropic = MAPPER.readTree(send("GET", "/v1/models", "", "x-api-key", "a", "anthropic-version", "2023-06-01").body());
    JsonNode gemini = MAPPER.readTree(send("GET", "/v1beta/models", "", "x-goog-api-key", "g").body());
    HttpResponse<String> post = send("POST", "/v1/models", "{}", "Authorization", "Bearer k");

    assertThat(openai.path("object").asText()).isEqualTo("list");
    assertThat(openai.at("/data/0/id").asText()).isEqualTo("gpt-4o");
    assertThat(anthropic.at("/data/0/type").asText()).isEqualTo("model");
    assertThat(gemini.at("/models/0/name").asText()).isEqualTo("models/gemini-2.5-flash");
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void shouldInjectFailuresIntoTheOtherEndpointsToo() throws Exception {
    HttpResponse<String> limited = send("POST", "/v1/embeddings", "{\"model\":\"m\",\"input\":\"x\"}",
        "Authorization", "Bearer k", "x-fake-status", "429", "x-fake-retry-after", "3");

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("retry-after")).hasValue("3");
    assertThat(MAPPER.readTree(limited.body()).at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
  }
}
