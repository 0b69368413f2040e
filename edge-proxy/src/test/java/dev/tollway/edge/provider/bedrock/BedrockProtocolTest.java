package dev.tollway.edge.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.schemas.snapshot.Provider;
import dev.tollway.schemas.snapshot.Provider.ProviderType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Bedrock's endpoints and its authentication: SigV4 by the AWS SDK's signer, checked independently. */
class BedrockProtocolTest {

  /** AWS's documented example credentials and time (the SigV4 test suite's). */
  private static final String ACCESS_KEY = "AKIDEXAMPLE";
  private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC);
  private static final String AMZ_DATE = "20150830T123600Z";
  private static final String CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0";

  private final BedrockProtocol protocol = new BedrockProtocol(new BedrockChatCodec(), CLOCK);

  // ---- endpoints -----------------------------------------------------------------------------------------

  @Test
  void shouldCallTheRegionsRuntimeWithTheModelIdAsOneEncodedSegment() {
    assertThat(protocol.chatTarget(provider(null, null, null), CLAUDE, false))
        .isEqualTo(new UpstreamTarget("bedrock-runtime.us-east-1.amazonaws.com", 443, true,
            "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse"));
    assertThat(protocol.chatTarget(provider("eu-west-3", null, null), CLAUDE, true))
        .isEqualTo(new UpstreamTarget("bedrock-runtime.eu-west-3.amazonaws.com", 443, true,
            "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream"));
    // an inference profile ARN keeps its slash inside the one segment
    assertThat(protocol.chatTarget(provider(null, null, null),
            "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0", false).path())
        .isEqualTo("/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-sonnet-4-20250514-v1%3A0/converse");
  }

  @Test
  void shouldSendToAHostOverrideOverPlainHttp() {
    assertThat(protocol.chatTarget(provider("us-west-2", "127.0.0.1", 18080), "amazon.nova-pro-v1:0", true))
        .isEqualTo(new UpstreamTarget("127.0.0.1", 18080, false, "/model/amazon.nova-pro-v1%3A0/converse-stream"));
  }

  @Test
  void shouldRequireAModelAndARegionName() {
    assertThatThrownBy(() -> protocol.chatTarget(provider(null, null, null), null, false))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST))
        .hasMessageStartingWith("model: required");
    assertThatThrownBy(() -> protocol.chatTarget(provider("evil.com/x", null, null), CLAUDE, false))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.BACKEND_UNAVAILABLE))
        .hasMessageStartingWith("bedrock: region evil.com/x is not a region name");
  }

  @Test
  void shouldNameItselfTheOpenTelemetryWay() {
    assertThat(protocol.otelName()).isEqualTo("aws.bedrock");
    assertThat(protocol.type()).isEqualTo(ProviderType.bedrock);
  }

  // ---- SigV4 ---------------------------------------------------------------------------------------------

  @Test
  void shouldHaveAVerifierThatReproducesAwsPublishedTestVectors() {
    // get-vanilla and post-vanilla of the AWS SigV4 test suite: host and x-amz-date signed, empty body
    Map<String, String> headers = Map.of("Host", "example.amazonaws.com", "X-Amz-Date", AMZ_DATE);
    assertThat(SigV4Reference.authorization("GET", "/", "", headers, new byte[0], ACCESS_KEY, SECRET_KEY, "us-east-1", "service", AMZ_DATE))
        .isEqualTo("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, "
            + "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    assertThat(SigV4Reference.authorization("POST", "/", "", headers, new byte[0], ACCESS_KEY, SECRET_KEY, "us-east-1", "service", AMZ_DATE))
        .isEqualTo("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, "
            + "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
  }

  @Test
  void shouldSignAConverseRequestAsAwsSpecifies() throws Exception {
    // Given a Converse request for a model whose id needs encoding
    Provider provider = provider("us-east-1", null, null);
    UpstreamTarget target = protocol.chatTarget(provider, CLAUDE, false);
    byte[] body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hello\"}]}]}".getBytes(StandardCharsets.UTF_8);

    // When authenticated with AWS keys
    Map<String, String> headers = authenticate(provider, target, body, keys(null));

    // Then the SDK's signer added the date, the body's hash and the signature over host, hash and date
    assertThat(headers.keySet()).containsExactlyInAnyOrder("Authorization", "X-Amz-Date", "x-amz-content-sha256");
    assertThat(headers.get("X-Amz-Date")).isEqualTo(AMZ_DATE);
    assertThat(headers.get("x-amz-content-sha256")).isEqualTo(SigV4Reference.sha256Hex(body));
    // and the independent verifier computes the same Authorization (path segments encoded again: %3A → %253A)
    assertThat(headers.get("Authorization")).isEqualTo(SigV4Reference.authorization(
        "POST", target.path(), "", signedHeaders("bedrock-runtime.us-east-1.amazonaws.com", headers), body,
        ACCESS_KEY, SECRET_KEY, "us-east-1", "bedrock", AMZ_DATE));
    assertThat(headers.get("Authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request, "
            + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=");
  }

  @Test
  void shouldSignTheSessionTokenTheHostPortAndAskForTheEventStream() throws Exception {
    // Given a ConverseStream request to a host override on a non-default port, with temporary credentials
    Provider provider = provider("eu-central-1", "127.0.0.1", 18080);
    UpstreamTarget target = protocol.chatTarget(provider, CLAUDE, true);
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

    // When authenticated
    Map<String, String> headers = authenticate(provider, target, body, keys("FQoGZXIvYXdzEXAMPLETOKEN"));

    // Then the token is sent and signed, the Host with its port is what was signed, and the stream is asked for
    assertThat(headers.get("X-Amz-Security-Token")).isEqualTo("FQoGZXIvYXdzEXAMPLETOKEN");
    assertThat(headers.get("Accept")).isEqualTo("application/vnd.amazon.eventstream");
    assertThat(headers.get("Authorization")).isEqualTo(SigV4Reference.authorization(
        "POST", target.path(), "", signedHeaders("127.0.0.1:18080", headers), body,
        ACCESS_KEY, SECRET_KEY, "eu-central-1", "bedrock", AMZ_DATE));
    assertThat(headers.get("Authorization")).contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token");
  }

  @Test
  void shouldMakeADifferentSignatureForAnotherBodyOrAnotherTime() throws Exception {
    Provider provider = provider(null, null, null);
    UpstreamTarget target = protocol.chatTarget(provider, CLAUDE, false);
    String original = authenticate(provider, target, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), keys(null)).get("Authorization");

    String otherBody = authenticate(provider, target, "{\"a\":2}".getBytes(StandardCharsets.UTF_8), keys(null)).get("Authorization");
    BedrockProtocol later = new BedrockProtocol(new BedrockChatCodec(), Clock.offset(CLOCK, java.time.Duration.ofSeconds(1)));
    String otherTime = later.authenticate(provider, target, "POST", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), keys(null))
        .toCompletableFuture().get().get("Authorization");

    assertThat(otherBody).isNotEqualTo(original);
    assertThat(otherTime).isNotEqualTo(original);
  }

  @Test
  void shouldSendABedrockApiKeyAsABearerToken() throws Exception {
    Provider provider = provider(null, null, null);

    assertThat(authenticate(provider, protocol.chatTarget(provider, CLAUDE, false), new byte[0], "ABSKQmVkcm9ja0FQSUtleS1example"))
        .isEqualTo(Map.of("Authorization", "Bearer ABSKQmVkcm9ja0FQSUtleS1example"));
    assertThat(protocol.headers("ABSKQmVkcm9ja0FQSUtleS1example")).isEqualTo(Map.of("Authorization", "Bearer ABSKQmVkcm9ja0FQSUtleS1example"));
    assertThat(protocol.headers(keys(null))).as("AWS keys sign in authenticate, with the body").isEmpty();
    assertThat(authenticate(provider, protocol.chatTarget(provider, CLAUDE, false), new byte[0], null)).isEmpty();
  }

  @Test
  void shouldFailTheStageWithoutQuotingTheSecretWhenTheKeysAreIncomplete() {
    Provider provider = provider(null, null, null);
    UpstreamTarget target = protocol.chatTarget(provider, CLAUDE, false);

    CompletionStage<Map<String, String>> stage =
        protocol.authenticate(provider, target, "POST", new byte[0], "{\"accessKey\":\"AKIDEXAMPLE\",\"secretKey\":\"\"}");

    assertThatThrownBy(() -> stage.toCompletableFuture().get())
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.BACKEND_UNAVAILABLE))
        .hasMessageContaining("secretKey is missing or empty")
        .hasMessageNotContaining("AKIDEXAMPLE");
  }

  @Test
  void shouldRedactCredentialsWhenPrinted() {
    AwsCredentials credentials = AwsCredentials.parse(keys("TOKEN"));

    assertThat(credentials.toString()).doesNotContain(ACCESS_KEY).doesNotContain(SECRET_KEY).doesNotContain("TOKEN");
  }

  private Map<String, String> authenticate(Provider provider, UpstreamTarget target, byte[] body, @Nullable String credential)
      throws Exception {
    return protocol.authenticate(provider, target, "POST", body, credential).toCompletableFuture().get();
  }

  /** The headers the signature covers: the Host the client sends, and the x-amz-* headers the signer added. */
  private static Map<String, String> signedHeaders(String host, Map<String, String> added) {
    Map<String, String> signed = new LinkedHashMap<>();
    signed.put("Host", host);
    added.forEach((name, value) -> {
      if (name.toLowerCase(java.util.Locale.ROOT).startsWith("x-amz-")) {
        signed.put(name, value);
      }
    });
    return signed;
  }

  private static String keys(@Nullable String sessionToken) {
    return "{\"accessKey\":\"" + ACCESS_KEY + "\",\"secretKey\":\"" + SECRET_KEY + "\""
        + (sessionToken == null ? "" : ",\"sessionToken\":\"" + sessionToken + "\"") + "}";
  }

  private static Provider provider(@Nullable String region, @Nullable String host, @Nullable Integer port) {
    TreeMap<String, String> settings = new TreeMap<>();
    if (region != null) {
      settings.put("region", region);
    }
    return new Provider("bedrock", ProviderType.bedrock, null, host, port, null, null, false, settings, Provider.ProviderAuth.none());
  }
}
