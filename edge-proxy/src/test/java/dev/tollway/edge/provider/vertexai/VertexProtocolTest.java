package dev.tollway.edge.provider.vertexai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.provider.anthropic.AnthropicChatCodec;
import dev.tollway.edge.provider.gemini.GeminiChatCodec;
import dev.tollway.edge.provider.wire.IdSource;
import dev.tollway.schemas.snapshot.Provider;
import dev.tollway.schemas.snapshot.Provider.ProviderType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Vertex AI's endpoints by region, publisher and streaming, and its bearer tokens. */
class VertexProtocolTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
  private static final String SERVICE_ACCOUNT = "{\"type\":\"service_account\",\"client_email\":\"sa@p.iam.gserviceaccount.com\",\"private_key\":\"k\"}";

  private final List<String> fetched = new ArrayList<>();
  private final VertexProtocol protocol = new VertexProtocol(
      new VertexChatCodec(new GeminiChatCodec(IdSource.counting()), new AnthropicChatCodec(IdSource.counting())),
      new AccessTokenCache(
          credential -> {
            fetched.add(credential);
            return new AccessToken("ya29.fetched", CLOCK.instant().plusSeconds(3600));
          },
          Runnable::run,
          CLOCK));

  @ParameterizedTest(name = "{0} {1} stream={2}")
  @CsvSource(textBlock = """
      ,            gemini-2.5-flash,                  false, aiplatform.googleapis.com,              /v1/projects/my-project/locations/global/publishers/google/models/gemini-2.5-flash:generateContent
      global,      google/gemini-2.5-flash,           true,  aiplatform.googleapis.com,              /v1/projects/my-project/locations/global/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse
      us-central1, gemini-2.5-pro,                    true,  us-central1-aiplatform.googleapis.com,  /v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse
      us-east5,    claude-sonnet-4@20250514,          false, us-east5-aiplatform.googleapis.com,     /v1/projects/my-project/locations/us-east5/publishers/anthropic/models/claude-sonnet-4@20250514:rawPredict
      us-east5,    anthropic/claude-opus-4-1@20250805, true, us-east5-aiplatform.googleapis.com,     /v1/projects/my-project/locations/us-east5/publishers/anthropic/models/claude-opus-4-1@20250805:streamRawPredict
      eu,          claude-sonnet-4@20250514,          false, aiplatform.eu.rep.googleapis.com,       /v1/projects/my-project/locations/eu/publishers/anthropic/models/claude-sonnet-4@20250514:rawPredict
      """)
  void shouldCallThePublishersModelInTheRegion(@Nullable String region, String model, boolean stream, String host, String path) {
    assertThat(protocol.chatTarget(provider(region, "my-project", null, null), model, stream))
        .isEqualTo(new UpstreamTarget(host, 443, true, path));
  }

  @Test
  void shouldSendToAHostOverrideOverPlainHttp() {
    assertThat(protocol.chatTarget(provider("us-central1", "my-project", "127.0.0.1", 18081), "gemini-2.5-flash", false))
        .isEqualTo(new UpstreamTarget("127.0.0.1", 18081, false,
            "/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent"));
  }

  @Test
  void shouldRequireAProjectAModelAndNamesThatFitAHostAndAPath() {
    assertThatThrownBy(() -> protocol.chatTarget(provider("global", null, null, null), "gemini-2.5-flash", false))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.BACKEND_UNAVAILABLE))
        .hasMessage("vertexai: projectId is required (expected a Google Cloud project id)");
    assertThatThrownBy(() -> protocol.chatTarget(provider("us-central1.evil.com/", "p", null, null), "gemini-2.5-flash", false))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.BACKEND_UNAVAILABLE))
        .hasMessageStartingWith("vertexai: region us-central1.evil.com/ is not valid");
    assertThatThrownBy(() -> protocol.chatTarget(provider("global", "p", null, null), null, false))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST))
        .hasMessageStartingWith("model: required");
  }

  @Test
  void shouldExchangeAServiceAccountKeyForABearerToken() throws Exception {
    Provider provider = provider("global", "p", null, null);
    UpstreamTarget target = protocol.chatTarget(provider, "gemini-2.5-flash", false);

    Map<String, String> first = protocol.authenticate(provider, target, "POST", new byte[0], SERVICE_ACCOUNT).toCompletableFuture().get();
    Map<String, String> second = protocol.authenticate(provider, target, "POST", new byte[0], SERVICE_ACCOUNT).toCompletableFuture().get();

    assertThat(first).isEqualTo(Map.of("Authorization", "Bearer ya29.fetched"));
    assertThat(second).isEqualTo(first);
    assertThat(fetched).as("the token is cached").containsExactly(SERVICE_ACCOUNT);
    assertThat(protocol.headers(SERVICE_ACCOUNT)).as("a key needs a token: only authenticate sends one").isEmpty();
  }

  @Test
  void shouldSendAnAccessTokenItselfAsTheBearerToken() throws Exception {
    Provider provider = provider("global", "p", null, null);
    UpstreamTarget target = protocol.chatTarget(provider, "gemini-2.5-flash", false);

    assertThat(protocol.authenticate(provider, target, "POST", new byte[0], "ya29.client-token").toCompletableFuture().get())
        .isEqualTo(Map.of("Authorization", "Bearer ya29.client-token"));
    assertThat(protocol.authenticate(provider, target, "POST", new byte[0], null).toCompletableFuture().get()).isEmpty();
    assertThat(fetched).isEmpty();
  }

  @Test
  void shouldNameItselfTheOpenTelemetryWay() {
    assertThat(protocol.otelName()).isEqualTo("gcp.vertex_ai");
    assertThat(protocol.type()).isEqualTo(ProviderType.vertexai);
  }

  private static Provider provider(@Nullable String region, @Nullable String project, @Nullable String host, @Nullable Integer port) {
    TreeMap<String, String> settings = new TreeMap<>();
    if (region != null) {
      settings.put("region", region);
    }
    if (project != null) {
      settings.put("projectId", project);
    }
    return new Provider("vertex", ProviderType.vertexai, null, host, port, null, null, false, settings, Provider.ProviderAuth.none());
  }
}
