package dev.tollway.local.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FakeProviderServerTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

  /** "You are helpful." is 16 characters (4 tokens), "What is Kubernetes?" 19 (5 tokens). */
  private static final int PROMPT_TOKENS = 9;

  private static final String OPENAI_TEXT =
      "Kubernetes is an open-source container orchestration platform. (fake openai answering gpt-4o-mini)";
  private static final String ANTHROPIC_TEXT =
      "Kubernetes is an open-source container orchestration platform. (fake anthropic answering claude-sonnet-4-5)";
  private static final String GEMINI_TEXT =
      "Kubernetes is an open-source container orchestration platform. (fake gemini answering gemini-2.5-flash)";

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private FakeProviderServer server;

  @BeforeAll
  void startServer() {
    server = FakeProviderServer.start(FakeProviderConfig.defaults().withClock(Clock.fixed(NOW, ZoneOffset.UTC)));
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

  @Nested
  class OpenAi {

    @Test
    void shouldAnswerAChatCompletionWithDeterministicTextAndUsage() throws Exception {
      // Given a chat completion request with a system and a user message
      String body = openAiBody(false, false, "");

      // When it is sent with a bearer key
      HttpResponse<String> response = post("/v1/chat/completions", body, openAiAuth());

      // Then the answer is a chat.completion with the fixed text and the token counts of the texts
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
      JsonNode json = MAPPER.readTree(response.body());
      assertThat(json.path("id").asText()).startsWith("chatcmpl-fake-");
      assertThat(json.path("object").asText()).isEqualTo("chat.completion");
      assertThat(json.path("created").asLong()).isEqualTo(NOW.getEpochSecond());
      assertThat(json.path("model").asText()).isEqualTo("gpt-4o-mini");
      JsonNode choice = json.path("choices").path(0);
      assertThat(choice.path("index").asInt()).isZero();
      assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
      assertThat(choice.path("message").path("content").asText()).isEqualTo(OPENAI_TEXT);
      assertThat(choice.path("message").path("refusal").isNull()).isTrue();
      assertThat(choice.path("logprobs").isNull()).isTrue();
      assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
      JsonNode usage = json.path("usage");
      assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(PROMPT_TOKENS);
      assertThat(usage.path("completion_tokens").asInt()).isEqualTo(25);
      assertThat(usage.path("total_tokens").asInt()).isEqualTo(PROMPT_TOKENS + 25);
      assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt()).isZero();
      assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt()).isZero();

      // and the request is recorded with what was answered
      assertThat(server.requests()).singleElement().satisfies(recorded -> {
        assertThat(recorded.provider()).isEqualTo("openai");
        assertThat(recorded.method()).isEqualTo("POST");
        assertThat(recorded.path()).isEqualTo("/v1/chat/completions");
        assertThat(recorded.header("Authorization")).hasValue("Bearer sk-test-openai");
        assertThat(recorded.json().path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(recorded.reply()).isEqualTo(new RecordedRequest.Reply(200, false, PROMPT_TOKENS, 25));
      });
    }

    @Test
    void shouldStreamChunksEndingWithAUsageChunkAndDone() throws Exception {
      // Given a streamed request that asks for usage
      String body = openAiBody(true, true, "");

      // When it is sent
      HttpResponse<String> response = post("/v1/chat/completions", body, openAiAuth());

      // Then the stream is chat.completion.chunk events, a usage chunk with no choices, then [DONE]
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
      List<SseEvent> events = SseEvent.parseAll(response.body());
      assertThat(events).allSatisfy(e -> assertThat(e.event()).isNull());
      assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
      List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(SseEvent::json).toList();
      assertThat(chunks).hasSizeGreaterThan(5).allSatisfy(chunk -> {
        assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(chunk.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(chunk.path("id").asText()).isEqualTo(chunks.get(0).path("id").asText());
        assertThat(chunk.has("usage")).isTrue();
      });
      assertThat(chunks.get(0).path("choices").path(0).path("delta").path("role").asText()).isEqualTo("assistant");
      String text = chunks.stream()
          .map(chunk -> chunk.path("choices").path(0).path("delta").path("content").asText(""))
          .collect(Collectors.joining());
      assertThat(text).isEqualTo(OPENAI_TEXT);
      JsonNode last = chunks.get(chunks.size() - 2);
      assertThat(last.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
      assertThat(last.path("usage").isNull()).isTrue();
      JsonNode usageChunk = chunks.get(chunks.size() - 1);
      assertThat(usageChunk.path("choices").isArray()).isTrue();
      assertThat(usageChunk.path("choices")).isEmpty();
      assertThat(usageChunk.path("usage").path("prompt_tokens").asInt()).isEqualTo(PROMPT_TOKENS);
      assertThat(usageChunk.path("usage").path("completion_tokens").asInt()).isEqualTo(25);
      assertThat(usageChunk.path("usage").path("total_tokens").asInt()).isEqualTo(PROMPT_TOKENS + 25);
      assertThat(server.requests().get(0).reply()).isEqualTo(new RecordedRequest.Reply(200, true, PROMPT_TOKENS, 25));
    }

    @Test
    void shouldStreamWithoutUsageWhenNotAskedFor() throws Exception {
      // Given a streamed request without stream_options
      // When it is sent
      HttpResponse<String> response = post("/v1/chat/completions", openAiBody(true, false, ""), openAiAuth());

      // Then no chunk carries a usage field
      List<SseEvent> events = SseEvent.parseAll(response.body());
      assertThat(events.get(events.size() - 1).data()).isEqualTo("[DONE]");
      assertThat(events.subList(0, events.size() - 1))
          .allSatisfy(e -> assertThat(e.json().has("usage")).isFalse())
          .allSatisfy(e -> assertThat(e.json().path("choices")).hasSize(1));
    }

    @Test
    void shouldCallTheFirstToolWhenTheUserAsksAboutTheWeather() throws Exception {
      // Given a request that offers two tools and asks about the weather
      String body = """
          {"model":"gpt-4o-mini","messages":[{"role":"user","content":"What is the weather in Paris?"}],
           "tools":[%s,%s]}""".formatted(openAiTool("get_weather"), openAiTool("get_time"));

      // When it is sent
      JsonNode json = MAPPER.readTree(post("/v1/chat/completions", body, openAiAuth()).body());

      // Then the answer calls the first tool with arguments built from its schema
      JsonNode choice = json.path("choices").path(0);
      assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
      assertThat(choice.path("message").path("content").isNull()).isTrue();
      JsonNode call = choice.path("message").path("tool_calls").path(0);
      assertThat(call.path("id").asText()).startsWith("call_fake_");
      assertThat(call.path("type").asText()).isEqualTo("function");
      assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
      assertThat(call.path("function").path("arguments").asText())
          .isEqualTo("{\"location\":\"Paris\",\"unit\":\"celsius\"}");
      assertThat(json.path("usage").path("prompt_tokens").asInt()).isEqualTo(8);
      assertThat(json.path("usage").path("completion_tokens").asInt()).isEqualTo(10);
    }

    @Test
    void shouldStreamAToolCallInPieces() throws Exception {
      // Given a streamed request that offers a tool and asks about the weather
      String body = """
          {"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"weather in Paris?"}],
           "tools":[%s]}""".formatted(openAiTool("get_weather"));

      // When it is sent
      List<SseEvent> events = SseEvent.parseAll(post("/v1/chat/completions", body, openAiAuth()).body());

      // Then the first chunk names the tool and the argument pieces add up to the arguments
      List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(SseEvent::json).toList();
      JsonNode first = chunks.get(0).path("choices").path(0).path("delta").path("tool_calls").path(0);
      assertThat(first.path("index").asInt()).isZero();
      assertThat(first.path("id").asText()).startsWith("call_fake_");
      assertThat(first.path("function").path("name").asText()).isEqualTo("get_weather");
      String arguments = chunks.stream()
          .map(c -> c.path("choices").path(0).path("delta").path("tool_calls").path(0).path("function")
              .path("arguments").asText(""))
          .collect(Collectors.joining());
      assertThat(arguments).isEqualTo("{\"location\":\"Paris\",\"unit\":\"celsius\"}");
      assertThat(chunks.size()).isGreaterThan(3);
      assertThat(chunks.get(chunks.size() - 1).path("choices").path(0).path("finish_reason").asText())
          .isEqualTo("tool_calls");
    }

    @Test
    void shouldAnswerWithTextAfterAToolResult() throws Exception {
      // Given a conversation whose last message is the tool's result
      String body = """
          {"model":"gpt-4o-mini","tools":[%s],"messages":[
            {"role":"user","content":"What is the weather in Paris?"},
            {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
              "function":{"name":"get_weather","arguments":"{\\"location\\":\\"Paris\\"}"}}]},
            {"role":"tool","tool_call_id":"call_1","content":"sunny"}]}""".formatted(openAiTool("get_weather"));

      // When it is sent
      JsonNode json = MAPPER.readTree(post("/v1/chat/completions", body, openAiAuth()).body());

      // Then the answer is text, and the arguments and the result count as input
      assertThat(json.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
      assertThat(json.path("choices").path(0).path("message").path("content").asText()).isEqualTo(OPENAI_TEXT);
      assertThat(json.path("usage").path("prompt_tokens").asInt()).isEqualTo(8 + 5 + 2);
    }

    @Test
    void shouldCutTheAnswerAtMaxTokens() throws Exception {
      // Given a request allowing 3 output tokens
      String body = openAiBody(false, false, ",\"max_tokens\":3");

      // When it is sent
      JsonNode json = MAPPER.readTree(post("/v1/chat/completions", body, openAiAuth()).body());

      // Then the text is cut to 12 characters and the finish reason says so
      assertThat(json.path("choices").path(0).path("message").path("content").asText()).isEqualTo("Kubernetes i");
      assertThat(json.path("choices").path(0).path("finish_reason").asText()).isEqualTo("length");
      assertThat(json.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void shouldRejectARequestWithoutABearerKeyInOpenAisErrorShape() throws Exception {
      // Given a valid body
      // When it is sent without a key, and with another scheme
      HttpResponse<String> missing = post("/v1/chat/completions", openAiBody(false, false, ""), Map.of());
      HttpResponse<String> basic = post("/v1/chat/completions", openAiBody(false, false, ""),
          Map.of("Authorization", "Basic dXNlcjpwYXNz"));

      // Then both are 401 in OpenAI's error shape
      for (HttpResponse<String> response : List.of(missing, basic)) {
        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode error = MAPPER.readTree(response.body()).path("error");
        assertThat(error.path("message").asText()).startsWith("You didn't provide an API key.");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.has("param")).isTrue();
        assertThat(error.path("param").isNull()).isTrue();
        assertThat(error.path("code").isNull()).isTrue();
      }
      assertThat(server.requests()).extracting(r -> r.reply().status()).containsExactly(401, 401);
    }

    @Test
    void shouldRejectABodyWithoutMessagesOrNotJson() throws Exception {
      // When a body without messages and a body that is not JSON are sent
      HttpResponse<String> noMessages = post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\"}", openAiAuth());
      HttpResponse<String> notJson = post("/v1/chat/completions", "model=gpt", openAiAuth());

      // Then both are 400 in OpenAI's shape
      assertThat(noMessages.statusCode()).isEqualTo(400);
      JsonNode error = MAPPER.readTree(noMessages.body()).path("error");
      assertThat(error.path("message").asText()).isEqualTo("Missing required parameter: 'messages'.");
      assertThat(error.path("param").asText()).isEqualTo("messages");
      assertThat(error.path("code").asText()).isEqualTo("missing_required_parameter");
      assertThat(notJson.statusCode()).isEqualTo(400);
      assertThat(MAPPER.readTree(notJson.body()).path("error").path("message").asText())
          .startsWith("We could not parse the JSON body of your request.");
    }
  }

  @Nested
  class Anthropic {

    @Test
    void shouldAnswerAMessageWithDeterministicTextAndUsage() throws Exception {
      // Given a Messages request with a system prompt
      String body = anthropicBody(false, "");

      // When it is sent with a key and a version
      HttpResponse<String> response = post("/v1/messages", body, anthropicAuth());

      // Then the answer is a message with the fixed text and the token counts
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("request-id")).hasValueSatisfying(id -> assertThat(id)
          .startsWith("req_fake_"));
      JsonNode json = MAPPER.readTree(response.body());
      assertThat(json.path("id").asText()).startsWith("msg_fake_");
      assertThat(json.path("type").asText()).isEqualTo("message");
      assertThat(json.path("role").asText()).isEqualTo("assistant");
      assertThat(json.path("model").asText()).isEqualTo("claude-sonnet-4-5");
      assertThat(json.path("content")).hasSize(1);
      assertThat(json.path("content").path(0).path("type").asText()).isEqualTo("text");
      assertThat(json.path("content").path(0).path("text").asText()).isEqualTo(ANTHROPIC_TEXT);
      assertThat(json.path("stop_reason").asText()).isEqualTo("end_turn");
      assertThat(json.path("stop_sequence").isNull()).isTrue();
      assertThat(json.path("usage").path("input_tokens").asInt()).isEqualTo(PROMPT_TOKENS);
      assertThat(json.path("usage").path("output_tokens").asInt()).isEqualTo(27);
      assertThat(json.path("usage").path("cache_read_input_tokens").asInt()).isZero();
      assertThat(json.path("usage").path("cache_creation_input_tokens").asInt()).isZero();
      assertThat(server.requests().get(0).header("x-api-key")).hasValue("sk-ant-test");
      assertThat(server.requests().get(0).header("anthropic-version")).hasValue("2023-06-01");
    }

    @Test
    void shouldStreamTheEventSequenceOfTheMessagesApi() throws Exception {
      // Given a streamed request
      // When it is sent
      HttpResponse<String> response = post("/v1/messages", anthropicBody(true, ""), anthropicAuth());

      // Then the events come in the API's order, each named after its type
      assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
      List<SseEvent> events = SseEvent.parseAll(response.body());
      assertThat(events).allSatisfy(e -> assertThat(e.json().path("type").asText()).isEqualTo(e.event()));
      List<String> types = events.stream().map(SseEvent::event).toList();
      assertThat(types.subList(0, 3)).containsExactly("message_start", "content_block_start", "ping");
      assertThat(types.subList(types.size() - 3, types.size()))
          .containsExactly("content_block_stop", "message_delta", "message_stop");
      assertThat(types.subList(3, types.size() - 3)).hasSizeGreaterThan(5).containsOnly("content_block_delta");

      JsonNode start = events.get(0).json().path("message");
      assertThat(start.path("id").asText()).startsWith("msg_fake_");
      assertThat(start.path("model").asText()).isEqualTo("claude-sonnet-4-5");
      assertThat(start.path("content")).isEmpty();
      assertThat(start.path("stop_reason").isNull()).isTrue();
      assertThat(start.path("usage").path("input_tokens").asInt()).isEqualTo(PROMPT_TOKENS);
      assertThat(events.get(1).json().path("content_block").path("type").asText()).isEqualTo("text");
      String text = events.stream()
          .filter(e -> "content_block_delta".equals(e.event()))
          .map(e -> {
            assertThat(e.json().path("delta").path("type").asText()).isEqualTo("text_delta");
            return e.json().path("delta").path("text").asText();
          })
          .collect(Collectors.joining());
      assertThat(text).isEqualTo(ANTHROPIC_TEXT);
      JsonNode delta = events.get(events.size() - 2).json();
      assertThat(delta.path("delta").path("stop_reason").asText()).isEqualTo("end_turn");
      assertThat(delta.path("usage").path("output_tokens").asInt()).isEqualTo(27);
    }

    @Test
    void shouldStreamAToolUseWithInputJsonDeltas() throws Exception {
      // Given a streamed request that offers a tool and asks about the weather
      String body = """
          {"model":"claude-sonnet-4-5","max_tokens":256,"stream":true,
           "messages":[{"role":"user","content":[{"type":"text","text":"What is the weather in Paris?"}]}],
           "tools":[{"name":"get_weather","description":"weather","input_schema":%s}]}"""
          .formatted(weatherSchema());

      // When it is sent
      List<SseEvent> events = SseEvent.parseAll(post("/v1/messages", body, anthropicAuth()).body());

      // Then a tool_use block streams its input as JSON pieces and the stop reason is tool_use
      JsonNode block = events.get(1).json().path("content_block");
      assertThat(block.path("type").asText()).isEqualTo("tool_use");
      assertThat(block.path("id").asText()).startsWith("toolu_fake_");
      assertThat(block.path("name").asText()).isEqualTo("get_weather");
      String input = events.stream()
          .filter(e -> "content_block_delta".equals(e.event()))
          .map(e -> e.json().path("delta"))
          .peek(d -> assertThat(d.path("type").asText()).isEqualTo("input_json_delta"))
          .map(d -> d.path("partial_json").asText())
          .collect(Collectors.joining());
      assertThat(input).isEqualTo("{\"location\":\"Paris\",\"unit\":\"celsius\"}");
      assertThat(events.get(events.size() - 2).json().path("delta").path("stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void shouldRejectMissingCredentialsVersionAndMaxTokensInAnthropicsErrorShape() throws Exception {
      // When a request without a key, one without a version and one without max_tokens are sent
      HttpResponse<String> noKey = post("/v1/messages", anthropicBody(false, ""),
          Map.of("anthropic-version", "2023-06-01"));
      HttpResponse<String> noVersion = post("/v1/messages", anthropicBody(false, ""),
          Map.of("x-api-key", "sk-ant-test"));
      HttpResponse<String> noMaxTokens = post("/v1/messages",
          "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", anthropicAuth());

      // Then each is refused in Anthropic's error shape
      assertAnthropicError(noKey, 401, "authentication_error", "x-api-key header is required");
      assertAnthropicError(noVersion, 400, "invalid_request_error", "anthropic-version: header is required");
      assertAnthropicError(noMaxTokens, 400, "invalid_request_error", "max_tokens: Field required");
    }

    private void assertAnthropicError(HttpResponse<String> response, int status, String type, String message)
        throws IOException {
      assertThat(response.statusCode()).isEqualTo(status);
      JsonNode json = MAPPER.readTree(response.body());
      assertThat(json.path("type").asText()).isEqualTo("error");
      assertThat(json.path("error").path("type").asText()).isEqualTo(type);
      assertThat(json.path("error").path("message").asText()).isEqualTo(message);
      assertThat(json.path("request_id").asText()).startsWith("req_fake_");
    }
  }

  @Nested
  class Gemini {

    @Test
    void shouldAnswerGenerateContentWithDeterministicTextAndUsage() throws Exception {
      // Given a generateContent request with a system instruction
      // When it is sent with a key
      HttpResponse<String> response =
          post("/v1beta/models/gemini-2.5-flash:generateContent", geminiBody(""), geminiAuth());

      // Then the answer is a GenerateContentResponse with the fixed text and the token counts
      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode json = MAPPER.readTree(response.body());
      JsonNode candidate = json.path("candidates").path(0);
      assertThat(candidate.path("content").path("role").asText()).isEqualTo("model");
      assertThat(candidate.path("content").path("parts").path(0).path("text").asText()).isEqualTo(GEMINI_TEXT);
      assertThat(candidate.path("finishReason").asText()).isEqualTo("STOP");
      assertThat(candidate.path("index").asInt()).isZero();
      assertThat(json.path("usageMetadata").path("promptTokenCount").asInt()).isEqualTo(PROMPT_TOKENS);
      assertThat(json.path("usageMetadata").path("candidatesTokenCount").asInt()).isEqualTo(26);
      assertThat(json.path("usageMetadata").path("totalTokenCount").asInt()).isEqualTo(PROMPT_TOKENS + 26);
      assertThat(json.path("modelVersion").asText()).isEqualTo("gemini-2.5-flash");
      assertThat(json.path("responseId").asText()).startsWith("fake-");
      assertThat(server.requests().get(0).header("x-goog-api-key")).hasValue("AIza-test");
    }

    @Test
    void shouldStreamGenerateContentResponsesAsServerSentEvents() throws Exception {
      // Given a streamGenerateContent request with alt=sse
      // When it is sent
      HttpResponse<String> response =
          post("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", geminiBody(""), geminiAuth());

      // Then each event is a GenerateContentResponse; usage is cumulative; only the last one finishes
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
      List<SseEvent> events = SseEvent.parseAll(response.body());
      assertThat(events).hasSizeGreaterThan(5).allSatisfy(e -> assertThat(e.event()).isNull());
      List<JsonNode> chunks = events.stream().map(SseEvent::json).toList();
      String text = chunks.stream()
          .map(c -> c.path("candidates").path(0).path("content").path("parts").path(0).path("text").asText())
          .collect(Collectors.joining());
      assertThat(text).isEqualTo(GEMINI_TEXT);
      assertThat(chunks.subList(0, chunks.size() - 1))
          .allSatisfy(c -> assertThat(c.path("candidates").path(0).has("finishReason")).isFalse())
          .allSatisfy(c -> assertThat(c.path("usageMetadata").path("promptTokenCount").asInt()).isEqualTo(9));
      JsonNode last = chunks.get(chunks.size() - 1);
      assertThat(last.path("candidates").path(0).path("finishReason").asText()).isEqualTo("STOP");
      assertThat(last.path("usageMetadata").path("candidatesTokenCount").asInt()).isEqualTo(26);
      assertThat(last.path("usageMetadata").path("totalTokenCount").asInt()).isEqualTo(PROMPT_TOKENS + 26);
      int summed = chunks.stream().mapToInt(c -> c.path("usageMetadata").path("candidatesTokenCount").asInt()).sum();
      assertThat(summed).as("usage is cumulative, so summing the chunks overcounts").isGreaterThan(26);
      assertThat(server.requests().get(0).query()).isEqualTo("alt=sse");
    }

    @Test
    void shouldAnswerWithAFunctionCall() throws Exception {
      // Given a request that declares a function and asks about the weather
      String body = """
          {"contents":[{"role":"user","parts":[{"text":"What is the weather in Paris?"}]}],
           "tools":[{"functionDeclarations":[{"name":"get_weather","parameters":%s}]}]}""".formatted(weatherSchema());

      // When it is sent
      JsonNode json = MAPPER.readTree(
          post("/v1beta/models/gemini-2.5-flash:generateContent", body, geminiAuth()).body());

      // Then the part is a functionCall with arguments built from the schema
      JsonNode call = json.path("candidates").path(0).path("content").path("parts").path(0).path("functionCall");
      assertThat(call.path("name").asText()).isEqualTo("get_weather");
      assertThat(call.path("args").toString()).isEqualTo("{\"location\":\"Paris\",\"unit\":\"celsius\"}");
    }

    @Test
    void shouldRejectMissingKeyAndMissingContentsInGooglesErrorShape() throws Exception {
      // When a request without a key and one without contents are sent
      HttpResponse<String> noKey =
          post("/v1beta/models/gemini-2.5-flash:generateContent", geminiBody(""), Map.of());
      HttpResponse<String> noContents =
          post("/v1beta/models/gemini-2.5-flash:generateContent", "{}", geminiAuth());

      // Then both are refused in Google's error shape
      assertThat(noKey.statusCode()).isEqualTo(403);
      JsonNode error = MAPPER.readTree(noKey.body()).path("error");
      assertThat(error.path("code").asInt()).isEqualTo(403);
      assertThat(error.path("status").asText()).isEqualTo("PERMISSION_DENIED");
      assertThat(error.path("message").asText()).contains("unregistered callers");
      assertThat(noContents.statusCode()).isEqualTo(400);
      assertThat(MAPPER.readTree(noContents.body()).path("error").path("status").asText())
          .isEqualTo("INVALID_ARGUMENT");
    }
  }

  @Nested
  class Failures {

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "gemini"})
    void shouldAnswerAnInjectedStatusWithRetryAfterInEachProvidersShape(String provider) throws Exception {
      // Given a valid request asking for a 429 with Retry-After
      Map<String, String> headers = new java.util.HashMap<>(authFor(provider));
      headers.put("x-fake-status", "429");
      headers.put("x-fake-retry-after", "7");

      // When it is sent
      HttpResponse<String> response = post(pathFor(provider, false), bodyFor(provider, false), headers);

      // Then it is a 429 in the provider's error shape, with Retry-After
      assertThat(response.statusCode()).isEqualTo(429);
      assertThat(response.headers().firstValue("retry-after")).hasValue("7");
      JsonNode json = MAPPER.readTree(response.body());
      switch (provider) {
        case "openai" -> assertThat(json.path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
        case "anthropic" -> assertThat(json.path("error").path("type").asText()).isEqualTo("rate_limit_error");
        default -> assertThat(json.path("error").path("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
      }
      assertThat(server.requests().get(0).reply().status()).isEqualTo(429);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "anthropic", "gemini"})
    void shouldCutAStreamAbruptlyAfterTheGivenNumberOfEvents(String provider) throws Exception {
      // Given a streamed request asking for a cut after 3 events
      Map<String, String> headers = new java.util.HashMap<>(authFor(provider));
      headers.put("x-fake-cut-stream", "3");

      // When it is sent and read off the wire until the connection closes
      RawHttp.Response response = RawHttp.post(server.port(), pathFor(provider, true), headers, bodyFor(provider, true));

      // Then exactly 3 whole events arrived and the chunked body never ended properly
      assertThat(response.head()).startsWith("HTTP/1.1 200");
      assertThat(response.complete()).isFalse();
      assertThat(SseEvent.parseAll(response.body())).hasSize(3).allSatisfy(e -> assertThat(e.json().isObject()).isTrue());
    }

    @Test
    void shouldEndAnUncutStreamWithTheTerminatingChunk() throws Exception {
      // Given a streamed request without failure injection
      // When it is read off the wire
      RawHttp.Response response = RawHttp.post(server.port(), "/v1/chat/completions",
          Map.of("Authorization", "Bearer k", "Connection", "close"), openAiBody(true, false, ""));

      // Then the chunked body ends properly, after [DONE]
      assertThat(response.complete()).isTrue();
      assertThat(response.body()).endsWith("data: [DONE]\n\n");
    }

    @Test
    void shouldFailTheQueuedNumberOfRequestsThenAnswerAgain() throws Exception {
      // Given a server told to fail the next request with a 503
      server.enqueue(FakeBehaviour.failWith(503));

      // When two requests are sent
      HttpResponse<String> first = post("/v1/chat/completions", openAiBody(false, false, ""), openAiAuth());
      HttpResponse<String> second = post("/v1/chat/completions", openAiBody(false, false, ""), openAiAuth());

      // Then the first fails in OpenAI's shape and the second is answered
      assertThat(first.statusCode()).isEqualTo(503);
      assertThat(MAPPER.readTree(first.body()).path("error").path("type").asText()).isEqualTo("server_error");
      assertThat(second.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldResetTheConnectionWhenAsked() {
      // Given every request is to be reset
      server.setDefaultBehaviour(FakeBehaviour.resetConnection());

      // When a request is sent
      // Then the client sees the connection close without an answer
      assertThatThrownBy(() -> post("/v1/chat/completions", openAiBody(false, false, ""), openAiAuth()))
          .isInstanceOf(IOException.class);
      assertThat(server.requests()).hasSize(1);
    }

    @Test
    void shouldWaitBeforeTheFirstByteWhenAsked() throws Exception {
      // Given a request asking for a 300 ms delay
      Map<String, String> headers = new java.util.HashMap<>(openAiAuth());
      headers.put("x-fake-delay-ms", "300");

      // When it is sent
      long start = System.nanoTime();
      HttpResponse<String> response = post("/v1/chat/completions", openAiBody(false, false, ""), headers);
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      // Then the answer came, but not before the delay
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void shouldSendStreamEventsAsTheyAreProducedNotAllAtOnce() throws Exception {
      // Given a streamed request with 60 ms between events
      Map<String, String> headers = new java.util.HashMap<>(anthropicAuth());
      headers.put("x-fake-chunk-delay-ms", "60");

      // When the events are read as they arrive
      HttpResponse<InputStream> response = http.send(
          request("/v1/messages", anthropicBody(true, ""), headers), HttpResponse.BodyHandlers.ofInputStream());
      List<Long> arrivals = new ArrayList<>();
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (line.startsWith("data: ")) {
            arrivals.add(System.nanoTime());
          }
        }
      }

      // Then they arrive spread over time: the first long before the last
      assertThat(arrivals).hasSizeGreaterThan(10);
      Duration spread = Duration.ofNanos(arrivals.get(arrivals.size() - 1) - arrivals.get(0));
      assertThat(spread).isGreaterThanOrEqualTo(Duration.ofMillis(60L * (arrivals.size() - 1)));
    }

    @Test
    void shouldRefuseAnInvalidInjectionHeader() throws Exception {
      // Given a request with a status that is not an error status
      Map<String, String> headers = new java.util.HashMap<>(openAiAuth());
      headers.put("x-fake-status", "200");

      // When it is sent
      HttpResponse<String> response = post("/v1/chat/completions", openAiBody(false, false, ""), headers);

      // Then it is refused naming what was expected
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(MAPPER.readTree(response.body()).path("error").path("message").asText())
          .isEqualTo("status: 200 (expected: an HTTP error status 400-599)");
    }
  }

  @Nested
  class Serving {

    @Test
    void shouldAnswerAnUnknownPathWith404AndRecordIt() throws Exception {
      // When a path no fake serves is called
      HttpResponse<String> response = post("/v2/whatever?x=1", "{}", openAiAuth());

      // Then it is a 404 naming the served paths, and recorded
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.body()).contains("/v1/chat/completions");
      assertThat(server.requests()).singleElement().satisfies(r -> {
        assertThat(r.provider()).isNull();
        assertThat(r.path()).isEqualTo("/v2/whatever");
        assertThat(r.query()).isEqualTo("x=1");
        assertThat(r.reply().status()).isEqualTo(404);
      });
    }

    @Test
    void shouldRefuseGetOnAProviderPath() throws Exception {
      // When a GET is sent to the chat completions path
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/chat/completions")).GET().build(),
          HttpResponse.BodyHandlers.ofString());

      // Then it is a 405 in OpenAI's shape
      assertThat(response.statusCode()).isEqualTo(405);
      assertThat(MAPPER.readTree(response.body()).path("error").path("message").asText())
          .isEqualTo("Method GET is not allowed on /v1/chat/completions");
    }

    @Test
    void shouldKeepOnlyTheLatestRequestsAndForgetThemOnClear() throws Exception {
      // Given a server that keeps 2 requests
      try (FakeProviderServer small = FakeProviderServer.start(FakeProviderConfig.defaults().withMaxRecordedRequests(2))) {
        // When 3 requests are sent
        for (String model : List.of("m1", "m2", "m3")) {
          http.send(HttpRequest.newBuilder(URI.create(small.baseUrl() + "/v1/chat/completions"))
              .header("Authorization", "Bearer k")
              .POST(HttpRequest.BodyPublishers.ofString(
                  "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
              .build(), HttpResponse.BodyHandlers.ofString());
        }

        // Then the two latest are kept, and clearing forgets them
        assertThat(small.requests()).extracting(r -> r.json().path("model").asText()).containsExactly("m2", "m3");
        small.clearRequests();
        assertThat(small.requests()).isEmpty();
      }
    }

    @Test
    void shouldRefuseAPortThatIsTakenNamingIt() {
      // Given the running server's port
      int taken = server.port();

      // When another server is started on it
      // Then it fails naming the address
      assertThatThrownBy(() -> FakeProviderServer.start(FakeProviderConfig.defaults().withPort(taken)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + taken);
    }

    @Test
    void shouldReadItsOptionsFromTheCommandLine() {
      FakeProviderConfig config =
          FakeProviderConfig.fromArgs(List.of("--port", "9999", "--chunk-delay-ms", "20", "--max-recorded", "0"));
      assertThat(config.port()).isEqualTo(9999);
      assertThat(config.chunkDelay()).isEqualTo(Duration.ofMillis(20));
      assertThat(config.maxRecordedRequests()).isZero();
      assertThat(config.host()).isEqualTo("127.0.0.1");
      assertThatThrownBy(() -> FakeProviderConfig.fromArgs(List.of("--port", "x")))
          .hasMessage("--port: x (expected: a whole number)");
      assertThatThrownBy(() -> FakeProviderConfig.fromArgs(List.of("--port", "70000")))
          .hasMessage("--port: 70000 (expected: 0 for a free port, or 1-65535)");
      assertThatThrownBy(() -> FakeProviderConfig.fromArgs(List.of("--verbose", "1")))
          .hasMessage("--verbose: unknown option (expected: --port, --host, --chunk-delay-ms or --max-recorded)");
      assertThatThrownBy(() -> FakeProviderConfig.fromArgs(List.of("--port")))
          .hasMessage("--port: missing value (expected: a whole number)");
    }

    @Test
    void shouldCountTokensPerStartedGroupOfFourCharacters() {
      assertThat(FakeTokens.count("")).isZero();
      assertThat(FakeTokens.count("abcd")).isEqualTo(1);
      assertThat(FakeTokens.count("abcde")).isEqualTo(2);
      assertThat(FakeTokens.count("héé😀")).as("code points, not UTF-16 units").isEqualTo(1);
    }
  }

  // ---- requests ----

  private HttpResponse<String> post(String path, String body, Map<String, String> headers)
      throws IOException, InterruptedException {
    return http.send(request(path, body, headers), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(String path, String body, Map<String, String> headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(builder::header);
    return builder.build();
  }

  private static Map<String, String> openAiAuth() {
    return Map.of("Authorization", "Bearer sk-test-openai");
  }

  private static Map<String, String> anthropicAuth() {
    return Map.of("x-api-key", "sk-ant-test", "anthropic-version", "2023-06-01");
  }

  private static Map<String, String> geminiAuth() {
    return Map.of("x-goog-api-key", "AIza-test");
  }

  private static Map<String, String> authFor(String provider) {
    return switch (provider) {
      case "openai" -> openAiAuth();
      case "anthropic" -> anthropicAuth();
      default -> geminiAuth();
    };
  }

  private static String pathFor(String provider, boolean stream) {
    return switch (provider) {
      case "openai" -> "/v1/chat/completions";
      case "anthropic" -> "/v1/messages";
      default -> stream
          ? "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
          : "/v1beta/models/gemini-2.5-flash:generateContent";
    };
  }

  private static String bodyFor(String provider, boolean stream) {
    return switch (provider) {
      case "openai" -> openAiBody(stream, false, "");
      case "anthropic" -> anthropicBody(stream, "");
      default -> geminiBody("");
    };
  }

  private static String openAiBody(boolean stream, boolean includeUsage, String extra) {
    return """
        {"model":"gpt-4o-mini","stream":%s,%s"messages":[
          {"role":"system","content":"You are helpful."},
          {"role":"user","content":[{"type":"text","text":"What is Kubernetes?"}]}]%s}"""
        .formatted(stream, includeUsage ? "\"stream_options\":{\"include_usage\":true}," : "", extra);
  }

  private static String anthropicBody(boolean stream, String extra) {
    return """
        {"model":"claude-sonnet-4-5","max_tokens":1024,"stream":%s,"system":"You are helpful.",
         "messages":[{"role":"user","content":"What is Kubernetes?"}]%s}""".formatted(stream, extra);
  }

  private static String geminiBody(String extra) {
    return """
        {"systemInstruction":{"parts":[{"text":"You are helpful."}]},
         "contents":[{"role":"user","parts":[{"text":"What is Kubernetes?"}]}]%s}""".formatted(extra);
  }

  private static String weatherSchema() {
    return """
        {"type":"object","properties":{"location":{"type":"string"},
         "unit":{"type":"string","enum":["celsius","fahrenheit"]},"days":{"type":"integer"}},
         "required":["location","unit"]}""";
  }

  private static String openAiTool(String name) {
    return "{\"type\":\"function\",\"function\":{\"name\":\"" + name + "\",\"parameters\":" + weatherSchema() + "}}";
  }
}
