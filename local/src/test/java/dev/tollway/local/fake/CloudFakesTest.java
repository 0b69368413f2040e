package dev.tollway.local.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.ServiceAccountCredentials;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * The fake Bedrock (SigV4 verified with the AWS SDK's signer, Converse, the binary ConverseStream, Titan and
 * Cohere embeddings, CountTokens) and the fake Vertex AI (a Google token endpoint checking JWT assertions,
 * Gemini and Claude publisher models behind its tokens), driven here by the AWS SDK's signer and Google's auth
 * library as real clients would be.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CloudFakesTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  private static final String CLAUDE = "anthropic.claude-sonnet-4-5-20250929-v1:0";
  private static final String CLAUDE_PATH = "/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0";
  private static final String WEATHER_TOOLS = "\"toolConfig\":{\"tools\":[{\"toolSpec\":{\"name\":\"get_weather\","
      + "\"inputSchema\":{\"json\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
      + "\"required\":[\"city\"]}}}}]}";

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
  class Bedrock {

    @Test
    void shouldAnswerAConverseRequestSignedWithATrustedKey() throws Exception {
      // Given a Converse request signed by the AWS SDK's signer with the fake's key
      String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"What is Kubernetes?\"}]}],"
          + "\"system\":[{\"text\":\"Be brief.\"}],\"inferenceConfig\":{\"maxTokens\":512}}";

      // When it is sent
      HttpResponse<byte[]> response = sendSigned(CLAUDE_PATH + "/converse", body, defaultKey(), NOW);

      // Then Bedrock's answer comes back, with the usage of the texts
      assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
      JsonNode json = MAPPER.readTree(response.body());
      assertThat(json.at("/output/message/role").asText()).isEqualTo("assistant");
      assertThat(json.at("/output/message/content/0/text").asText())
          .isEqualTo(FakeAnswer.replyText("bedrock", CLAUDE));
      assertThat(json.at("/stopReason").asText()).isEqualTo("end_turn");
      int input = FakeTokens.count("Be brief.") + FakeTokens.count("What is Kubernetes?");
      assertThat(json.at("/usage/inputTokens").asInt()).isEqualTo(input);
      assertThat(json.at("/usage/totalTokens").asInt()).isEqualTo(input + json.at("/usage/outputTokens").asInt());
      assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
      assertThat(server.requests()).singleElement().satisfies(recorded -> {
        assertThat(recorded.provider()).isEqualTo("bedrock");
        assertThat(recorded.path()).isEqualTo("/model/" + CLAUDE + "/converse");
        assertThat(recorded.header("authorization").orElseThrow()).startsWith("AWS4-HMAC-SHA256 Credential="
            + FakeProviderServer.AWS_ACCESS_KEY_ID + "/");
      });
    }

    @Test
    void shouldRefuseARequestWhoseBodyIsNotTheOneSigned() throws Exception {
      // Given a request signed for one body
      String signedBody = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}";
      Map<String, String> headers = sign("POST", CLAUDE_PATH + "/converse", signedBody, defaultKey(), NOW, "us-east-1");

      // When another body is sent with that signature
      HttpResponse<byte[]> response = send(CLAUDE_PATH + "/converse", signedBody.replace("hi", "ho"), headers);

      // Then Bedrock's InvalidSignatureException comes back
      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(response.headers().firstValue("x-amzn-ErrorType").orElseThrow())
          .startsWith("InvalidSignatureException:");
      assertThat(MAPPER.readTree(response.body()).path("message").asText())
          .startsWith("The request signature we calculated does not match the signature you provided.");
    }

    @Test
    void shouldRefuseAnUnknownKeyAMissingSignatureAndAnExpiredOne() throws Exception {
      String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}";

      HttpResponse<byte[]> unknown = sendSigned(CLAUDE_PATH + "/converse", body,
          AwsCredentialsIdentity.create("AKIAUNKNOWN000000000", "secret"), NOW);
      HttpResponse<byte[]> unsigned = send(CLAUDE_PATH + "/converse", body, Map.of());
      HttpResponse<byte[]> expired = sendSigned(CLAUDE_PATH + "/converse", body, defaultKey(), NOW.minus(Duration.ofMinutes(20)));

      assertThat(unknown.statusCode()).isEqualTo(403);
      assertThat(unknown.headers().firstValue("x-amzn-ErrorType").orElseThrow()).startsWith("UnrecognizedClientException:");
      assertThat(unsigned.statusCode()).isEqualTo(403);
      assertThat(unsigned.headers().firstValue("x-amzn-ErrorType").orElseThrow())
          .startsWith("MissingAuthenticationTokenException:");
      assertThat(expired.statusCode()).isEqualTo(403);
      assertThat(MAPPER.readTree(expired.body()).path("message").asText()).startsWith("Signature expired:");
    }

    @Test
    void shouldRequireTheSessionTokenOfTemporaryCredentialsAndTakeABedrockApiKey() throws Exception {
      // Given temporary credentials the fake trusts
      server.trustAwsKey("ASIAFAKETEMPORARY001", "temporary-secret", "session-token-1");
      String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}";

      // When signed with the token, with another token, and with a Bedrock API key
      HttpResponse<byte[]> withToken = sendSigned(CLAUDE_PATH + "/converse", body,
          AwsSessionCredentialsIdentity.create("ASIAFAKETEMPORARY001", "temporary-secret", "session-token-1"), NOW);
      HttpResponse<byte[]> otherToken = sendSigned(CLAUDE_PATH + "/converse", body,
          AwsSessionCredentialsIdentity.create("ASIAFAKETEMPORARY001", "temporary-secret", "session-token-2"), NOW);
      HttpResponse<byte[]> apiKey = send(CLAUDE_PATH + "/converse", body, Map.of("Authorization", "Bearer ABSKfake"));

      // Then
      assertThat(withToken.statusCode()).as(text(withToken)).isEqualTo(200);
      assertThat(otherToken.statusCode()).isEqualTo(403);
      assertThat(apiKey.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldStreamBinaryEventStreamFramesOfAToolCall() throws Exception {
      // Given a streamed request offering a tool and asking about the weather
      String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"What is the weather in Paris?\"}]}],"
          + WEATHER_TOOLS + "}";

      // When it is sent to ConverseStream
      HttpResponse<byte[]> response = sendSigned(CLAUDE_PATH + "/converse-stream", body, defaultKey(), NOW);

      // Then the body is event-stream frames the AWS SDK's decoder reads, in ConverseStream's order
      assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
      assertThat(response.headers().firstValue("content-type")).hasValue("application/vnd.amazon.eventstream");
      List<Message> frames = new ArrayList<>();
      new MessageDecoder(frames::add).feed(ByteBuffer.wrap(response.body()));
      List<String> types = frames.stream().map(f -> f.getHeaders().get(":event-type").getString()).toList();
      assertThat(types.get(0)).isEqualTo("messageStart");
      assertThat(types.get(1)).isEqualTo("contentBlockStart");
      assertThat(types.subList(types.size() - 3, types.size())).containsExactly("contentBlockStop", "messageStop", "metadata");
      assertThat(frames).allSatisfy(f -> {
        assertThat(f.getHeaders().get(":message-type").getString()).isEqualTo("event");
        assertThat(payload(f).has("p")).as("padded as Bedrock pads").isTrue();
      });
      assertThat(payload(frames.get(1)).at("/start/toolUse/name").asText()).isEqualTo("get_weather");
      StringBuilder arguments = new StringBuilder();
      frames.stream().filter(f -> f.getHeaders().get(":event-type").getString().equals("contentBlockDelta"))
          .forEach(f -> arguments.append(payload(f).at("/delta/toolUse/input").asText()));
      assertThat(MAPPER.readTree(arguments.toString())).isEqualTo(MAPPER.readTree("{\"city\":\"Paris\"}"));
      assertThat(payload(frames.get(frames.size() - 2)).path("stopReason").asText()).isEqualTo("tool_use");
      assertThat(payload(frames.get(frames.size() - 1)).at("/usage/outputTokens").asInt())
          .isEqualTo(FakeTokens.count("{\"city\":\"Paris\"}"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
      "{\"messages\":[{\"role\":\"assistant\",\"content\":[{\"text\":\"hi\"}]}]}"
          + " | A conversation must start with a user message.",
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"a\"}]},{\"role\":\"user\",\"content\":[{\"text\":\"b\"}]}]}"
          + " | A conversation must alternate between user and assistant roles.",
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\" \"}]}]}"
          + " | The text field in the ContentBlock object at messages.0.content.0 is blank.",
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"weather?\"}]},{\"role\":\"assistant\",\"content\":"
          + "[{\"toolUse\":{\"toolUseId\":\"t1\",\"name\":\"get_weather\",\"input\":{}}}]},{\"role\":\"user\",\"content\":"
          + "[{\"toolResult\":{\"toolUseId\":\"t1\",\"content\":[{\"text\":\"sunny\"}]}}]}]}"
          + " | The toolConfig field must be defined when using toolUse and toolResult content blocks.",
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"weather?\"}]},{\"role\":\"assistant\",\"content\":"
          + "[{\"toolUse\":{\"toolUseId\":\"t1\",\"name\":\"get_weather\",\"input\":{}}}]},{\"role\":\"user\",\"content\":"
          + "[{\"text\":\"sunny\"}]}]," + WEATHER_TOOLS + "}"
          + " | Expected toolResult blocks at messages.2.content for the following Ids: t1",
    })
    void shouldRefuseWhatConverseRefuses(String body, String message) throws Exception {
      HttpResponse<byte[]> response = sendSigned(CLAUDE_PATH + "/converse", body, defaultKey(), NOW);

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.headers().firstValue("x-amzn-ErrorType").orElseThrow()).startsWith("ValidationException:");
      assertThat(MAPPER.readTree(response.body()).path("message").asText()).startsWith(message);
    }

    @Test
    void shouldAnswerAToolResultTurnWithText() throws Exception {
      String body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"What is the weather in Paris?\"}]},"
          + "{\"role\":\"assistant\",\"content\":[{\"toolUse\":{\"toolUseId\":\"t1\",\"name\":\"get_weather\","
          + "\"input\":{\"city\":\"Paris\"}}}]},{\"role\":\"user\",\"content\":[{\"toolResult\":{\"toolUseId\":\"t1\","
          + "\"content\":[{\"json\":{\"celsius\":18}}]}}]}]," + WEATHER_TOOLS + "}";

      HttpResponse<byte[]> response = sendSigned(CLAUDE_PATH + "/converse", body, defaultKey(), NOW);

      assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
      JsonNode json = MAPPER.readTree(response.body());
      assertThat(json.at("/output/message/content/0/text").asText()).startsWith("Kubernetes is");
      assertThat(json.at("/usage/inputTokens").asInt()).isEqualTo(FakeTokens.count("What is the weather in Paris?")
          + FakeTokens.count("{\"city\":\"Paris\"}") + FakeTokens.count("{\"celsius\":18}"));
    }

    @Test
    void shouldEmbedOneTextWithTitanAndABatchWithCohere() throws Exception {
      HttpResponse<byte[]> titan = sendSigned("/model/amazon.titan-embed-text-v2%3A0/invoke",
          "{\"inputText\":\"Kubernetes\",\"dimensions\":256}", defaultKey(), NOW);
      HttpResponse<byte[]> wrongSize = sendSigned("/model/amazon.titan-embed-text-v2%3A0/invoke",
          "{\"inputText\":\"Kubernetes\",\"dimensions\":16}", defaultKey(), NOW);
      HttpResponse<byte[]> cohere = sendSigned("/model/cohere.embed-english-v3/invoke",
          "{\"texts\":[\"Kubernetes\",\"Kafka\"],\"input_type\":\"search_document\"}", defaultKey(), NOW);

      JsonNode titanJson = MAPPER.readTree(titan.body());
      assertThat(titan.statusCode()).as(text(titan)).isEqualTo(200);
      assertThat(titanJson.path("embedding")).hasSize(256);
      assertThat(titanJson.path("inputTextTokenCount").asInt()).isEqualTo(FakeTokens.count("Kubernetes"));
      assertThat(titanJson.at("/embeddingsByType/float")).isEqualTo(titanJson.path("embedding"));
      assertThat(wrongSize.statusCode()).isEqualTo(400);
      assertThat(MAPPER.readTree(wrongSize.body()).path("message").asText())
          .isEqualTo("Malformed input request: #/dimensions: 16 is not a valid enum value, please reformat your input "
              + "and try again.");
      JsonNode cohereJson = MAPPER.readTree(cohere.body());
      assertThat(cohereJson.path("embeddings")).hasSize(2);
      assertThat(cohereJson.at("/embeddings/0")).hasSize(1024);
      assertThat(cohereJson.path("response_type").asText()).isEqualTo("embeddings_floats");
    }

    @Test
    void shouldCountTheTokensOfAConverseInput() throws Exception {
      HttpResponse<byte[]> response = sendSigned(CLAUDE_PATH + "/count-tokens",
          "{\"input\":{\"converse\":{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"What is Kubernetes?\"}]}]}}}",
          defaultKey(), NOW);

      assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
      assertThat(MAPPER.readTree(response.body()).path("inputTokens").asInt())
          .isEqualTo(FakeTokens.count("What is Kubernetes?"));
    }

    @Test
    void shouldAnswerAnInjectedThrottleWithItsErrorType() throws Exception {
      server.enqueue(FakeBehaviour.failWith(429).withRetryAfter(3));

      HttpResponse<byte[]> response = sendSigned(CLAUDE_PATH + "/converse",
          "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}", defaultKey(), NOW);

      assertThat(response.statusCode()).isEqualTo(429);
      assertThat(response.headers().firstValue("x-amzn-ErrorType").orElseThrow()).startsWith("ThrottlingException:");
      assertThat(response.headers().firstValue("retry-after")).hasValue("3");
      assertThat(MAPPER.readTree(response.body()).path("message").asText())
          .isEqualTo("Too many requests, please wait before trying again.");
    }

    private AwsCredentialsIdentity defaultKey() {
      return AwsCredentialsIdentity.create(FakeProviderServer.AWS_ACCESS_KEY_ID, FakeProviderServer.AWS_SECRET_ACCESS_KEY);
    }

    private HttpResponse<byte[]> sendSigned(String path, String body, AwsCredentialsIdentity identity, Instant at)
        throws Exception {
      return send(path, body, sign("POST", path, body, identity, at, "eu-west-3"));
    }

    private Map<String, String> sign(
        String method, String path, String body, AwsCredentialsIdentity identity, Instant at, String region) {
      SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).protocol("http")
          .host("127.0.0.1").port(server.port()).encodedPath(path).build();
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(request)
          .payload(ContentStreamProvider.fromByteArray(bytes))
          .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "bedrock")
          .putProperty(AwsV4HttpSigner.REGION_NAME, region)
          .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))).request();
      Map<String, String> headers = new java.util.LinkedHashMap<>();
      signed.headers().forEach((name, values) -> {
        if (!name.equalsIgnoreCase("Host")) {
          headers.put(name, values.get(0));
        }
      });
      return headers;
    }

    private JsonNode payload(Message frame) {
      try {
        return MAPPER.readTree(frame.getPayload());
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Nested
  class Vertex {

    private static final String PREFIX = "/v1/projects/tollway-test/locations/us-central1/publishers/";

    @Test
    void shouldIssueATokenToGooglesAuthLibraryForATrustedServiceAccount() throws Exception {
      // Given a throwaway service account the fake trusts, its key file pointing at the fake
      FakeServiceAccount account = FakeServiceAccount.generate("tollway-e2e@tollway-test.iam.gserviceaccount.com");
      server.trustServiceAccount(account.clientEmail(), account.publicKey());

      // When Google's auth library asks for a token
      AccessToken token = credentials(account).refreshAccessToken();

      // Then it gets one that Vertex AI accepts
      assertThat(token.getTokenValue()).startsWith("ya29.fake-");
      assertThat(token.getExpirationTime().toInstant()).isBetween(NOW.plusSeconds(3590), Instant.now().plusSeconds(3600));
      HttpResponse<byte[]> generate = send(PREFIX + "google/models/gemini-2.5-flash:generateContent",
          "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"What is Kubernetes?\"}]}]}",
          Map.of("Authorization", "Bearer " + token.getTokenValue()));
      assertThat(generate.statusCode()).as(text(generate)).isEqualTo(200);
      assertThat(MAPPER.readTree(generate.body()).at("/candidates/0/content/parts/0/text").asText())
          .isEqualTo(FakeAnswer.replyText("vertexai", "gemini-2.5-flash"));
      assertThat(server.requests()).extracting(RecordedRequest::provider).containsExactly("google-oauth", "vertexai");
    }

    @Test
    void shouldRefuseAnAssertionSignedWithAnotherKeyOrForAnUnknownAccount() throws Exception {
      FakeServiceAccount trusted = FakeServiceAccount.generate("trusted@tollway-test.iam.gserviceaccount.com");
      FakeServiceAccount impostor = new FakeServiceAccount(trusted.clientEmail(),
          FakeServiceAccount.generate("other@x").keys());
      server.trustServiceAccount(trusted.clientEmail(), trusted.publicKey());

      HttpResponse<byte[]> forged = send("/token", grant(impostor, NOW), Map.of("Content-Type",
          "application/x-www-form-urlencoded"));
      HttpResponse<byte[]> unknown = send("/token", grant(FakeServiceAccount.generate("nobody@x"), NOW),
          Map.of("Content-Type", "application/x-www-form-urlencoded"));
      HttpResponse<byte[]> stale = send("/token", grant(trusted, NOW.minus(Duration.ofHours(3))),
          Map.of("Content-Type", "application/x-www-form-urlencoded"));

      assertThat(forged.statusCode()).isEqualTo(400);
      assertThat(MAPPER.readTree(forged.body())).isEqualTo(MAPPER.readTree(
          "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}"));
      assertThat(MAPPER.readTree(unknown.body()).path("error_description").asText()).isEqualTo("Invalid grant: account not found");
      assertThat(MAPPER.readTree(stale.body()).path("error_description").asText()).startsWith("Invalid JWT: Token must be a short-lived token");
    }

    @Test
    void shouldRefuseATokenItDidNotIssueInGooglesShape() throws Exception {
      HttpResponse<byte[]> response = send(PREFIX + "google/models/gemini-2.5-flash:generateContent",
          "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}", Map.of("Authorization", "Bearer ya29.made-up"));

      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(MAPPER.readTree(response.body()).at("/error/status").asText()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void shouldServeClaudeByRawPredictWithTheVertexAnthropicVersionAndThePathsModel() throws Exception {
      // Given a valid token
      String token = tokenFor("claude-caller@tollway-test.iam.gserviceaccount.com");
      String model = "claude-sonnet-4-5@20250929";

      // When a Messages body without model is sent, with and without Vertex's anthropic_version
      HttpResponse<byte[]> answered = send(PREFIX + "anthropic/models/" + model + ":rawPredict",
          "{\"anthropic_version\":\"vertex-2023-10-16\",\"max_tokens\":256,"
              + "\"messages\":[{\"role\":\"user\",\"content\":\"What is Kubernetes?\"}]}",
          Map.of("Authorization", "Bearer " + token));
      HttpResponse<byte[]> unversioned = send(PREFIX + "anthropic/models/" + model + ":rawPredict",
          "{\"max_tokens\":256,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
          Map.of("Authorization", "Bearer " + token));
      HttpResponse<byte[]> streamed = send(PREFIX + "anthropic/models/" + model + ":streamRawPredict",
          "{\"anthropic_version\":\"vertex-2023-10-16\",\"max_tokens\":256,\"stream\":true,"
              + "\"messages\":[{\"role\":\"user\",\"content\":\"What is Kubernetes?\"}]}",
          Map.of("Authorization", "Bearer " + token));

      // Then Anthropic's message answers, naming the path's model; without the version, Anthropic's 400
      assertThat(answered.statusCode()).as(text(answered)).isEqualTo(200);
      JsonNode message = MAPPER.readTree(answered.body());
      assertThat(message.path("model").asText()).isEqualTo(model);
      assertThat(message.at("/content/0/text").asText()).isEqualTo(FakeAnswer.replyText("vertexai", model));
      assertThat(unversioned.statusCode()).isEqualTo(400);
      assertThat(MAPPER.readTree(unversioned.body()).at("/error/message").asText())
          .isEqualTo("anthropic_version: Field required");
      assertThat(text(streamed)).startsWith("event: message_start\n").contains("event: message_stop\n");
    }

    @Test
    void shouldEmbedWithPredictAndCountWithEitherPublisher() throws Exception {
      String token = tokenFor("utilities@tollway-test.iam.gserviceaccount.com");
      Map<String, String> auth = Map.of("Authorization", "Bearer " + token);

      HttpResponse<byte[]> predict = send(PREFIX + "google/models/text-embedding-005:predict",
          "{\"instances\":[{\"content\":\"Kubernetes\"},{\"content\":\"Kafka\"}],\"parameters\":{\"outputDimensionality\":32}}",
          auth);
      HttpResponse<byte[]> geminiCount = send(PREFIX + "google/models/gemini-2.5-flash:countTokens",
          "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"What is Kubernetes?\"}]}]}", auth);
      HttpResponse<byte[]> claudeCount = send(PREFIX + "anthropic/models/count-tokens:rawPredict",
          "{\"model\":\"claude-sonnet-4-5@20250929\",\"messages\":[{\"role\":\"user\",\"content\":\"What is Kubernetes?\"}]}",
          auth);

      JsonNode predictions = MAPPER.readTree(predict.body()).path("predictions");
      assertThat(predictions).hasSize(2);
      assertThat(predictions.at("/0/embeddings/values")).hasSize(32);
      assertThat(predictions.at("/1/embeddings/statistics/token_count").asInt()).isEqualTo(FakeTokens.count("Kafka"));
      assertThat(MAPPER.readTree(geminiCount.body()).path("totalTokens").asInt()).isEqualTo(FakeTokens.count("What is Kubernetes?"));
      assertThat(MAPPER.readTree(claudeCount.body()).path("input_tokens").asInt()).isEqualTo(FakeTokens.count("What is Kubernetes?"));
    }

    private String tokenFor(String clientEmail) throws Exception {
      FakeServiceAccount account = FakeServiceAccount.generate(clientEmail);
      server.trustServiceAccount(account.clientEmail(), account.publicKey());
      return credentials(account).refreshAccessToken().getTokenValue();
    }

    private ServiceAccountCredentials credentials(FakeServiceAccount account) throws Exception {
      String json = account.keyFileJson("tollway-test", server.tokenUri());
      return (ServiceAccountCredentials) ServiceAccountCredentials.fromStream(
          new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
          .createScoped(List.of("https://www.googleapis.com/auth/cloud-platform"));
    }

    /** A JWT-bearer grant signed by hand (RS256) with the account's private key, issued at {@code at}. */
    private String grant(FakeServiceAccount account, Instant at) throws Exception {
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
      String claims = b64.encodeToString(("{\"iss\":\"" + account.clientEmail() + "\",\"scope\":\""
          + "https://www.googleapis.com/auth/cloud-platform\",\"aud\":\"https://oauth2.googleapis.com/token\",\"iat\":"
          + at.getEpochSecond() + ",\"exp\":" + (at.getEpochSecond() + 3600) + "}").getBytes(StandardCharsets.UTF_8));
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(account.keys().getPrivate());
      rs256.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
      return "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + header + "." + claims + "."
          + b64.encodeToString(rs256.sign());
    }
  }

  private HttpResponse<byte[]> send(String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (!headers.containsKey("Content-Type")) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }
}
