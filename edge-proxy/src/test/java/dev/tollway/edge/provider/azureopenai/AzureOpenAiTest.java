package dev.tollway.edge.provider.azureopenai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatEvent;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.llm.ChatResponse;
import dev.tollway.edge.llm.ContentPart;
import dev.tollway.edge.llm.FinishReason;
import dev.tollway.edge.llm.StreamDecoder;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.provider.Fixtures;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.provider.openai.OpenAiChatCodec;
import dev.tollway.edge.provider.wire.IdSource;
import dev.tollway.schemas.snapshot.Provider;
import dev.tollway.schemas.snapshot.Provider.ProviderType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Azure OpenAI: its endpoints, its key header, and the OpenAI codec with Azure's stream opening and errors. */
class AzureOpenAiTest {

  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC);

  private final OpenAiChatCodec openai = new OpenAiChatCodec(CLOCK, IdSource.counting());
  private final AzureOpenAiChatCodec codec = new AzureOpenAiChatCodec(openai);
  private final AzureOpenAiProtocol protocol = new AzureOpenAiProtocol(codec);

  // ---- endpoints -----------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource(textBlock = """
      my-resource.openai.azure.com,          ,                   ,         my-resource.openai.azure.com, 443,  /openai/v1/chat/completions
      https://my-resource.openai.azure.com/, v1,                 gpt-4o,   my-resource.openai.azure.com, 443,  /openai/v1/chat/completions
      https://my-resource.openai.azure.com,  2024-10-21,         gpt-4o,   my-resource.openai.azure.com, 443,  /openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21
      my-resource.openai.azure.com/openai/,  2025-04-01-preview, my model, my-resource.openai.azure.com, 443,  /openai/deployments/my%20model/chat/completions?api-version=2025-04-01-preview
      gateway.internal:8443,                 ,                   ,         gateway.internal,             8443, /openai/v1/chat/completions
      """)
  void shouldCallTheV1OrTheDeploymentPath(
      String endpoint, @Nullable String apiVersion, @Nullable String deployment, String host, int port, String path) {
    assertThat(protocol.chatTarget(provider(endpoint, apiVersion, deployment, null, null), "gpt-4o", false))
        .isEqualTo(new UpstreamTarget(host, port, true, path));
  }

  @Test
  void shouldSendToAHostOverrideOverPlainHttp() {
    assertThat(protocol.chatTarget(provider("my-resource.openai.azure.com", "2024-10-21", "gpt-4o", "127.0.0.1", 18082), "gpt-4o", true))
        .isEqualTo(new UpstreamTarget("127.0.0.1", 18082, false, "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"));
  }

  @Test
  void shouldRequireAnEndpointAHostNameAndADeploymentOutsideV1() {
    assertThatThrownBy(() -> protocol.chatTarget(provider(null, null, null, null, null), "gpt-4o", false))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.BACKEND_UNAVAILABLE))
        .hasMessageStartingWith("azureopenai: endpoint is required");
    assertThatThrownBy(() -> protocol.chatTarget(provider("my resource?.azure.com", null, null, null, null), "gpt-4o", false))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.BACKEND_UNAVAILABLE))
        .hasMessageStartingWith("azureopenai: endpoint my resource?.azure.com is not a host name");
    assertThatThrownBy(() -> protocol.chatTarget(provider("my-resource.openai.azure.com", "2024-10-21", null, null, null), "gpt-4o", false))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.BACKEND_UNAVAILABLE))
        .hasMessage("azureopenai: deploymentName is required for apiVersion 2024-10-21 (only v1 takes the model from the body)");
  }

  @Test
  void shouldSendTheKeyAsApiKeyAndNameItselfTheOpenTelemetryWay() throws Exception {
    Provider provider = provider("my-resource.openai.azure.com", null, null, null, null);

    assertThat(protocol.headers("0123abcd")).isEqualTo(Map.of("api-key", "0123abcd"));
    assertThat(protocol.headers(null)).isEmpty();
    assertThat(protocol.authenticate(provider, protocol.chatTarget(provider, "gpt-4o", false), "POST", new byte[0], "0123abcd")
            .toCompletableFuture().get())
        .isEqualTo(Map.of("api-key", "0123abcd"));
    assertThat(protocol.otelName()).isEqualTo("azure.ai.openai");
    assertThat(protocol.type()).isEqualTo(ProviderType.azureopenai);
  }

  // ---- codec ---------------------------------------------------------------------------------------------

  @Test
  void shouldSpeakOpenAisFormatSoOpenAiClientsGetItsBytes() {
    ChatRequest request = openai.decodeRequest(Fixtures.json("openai/request-tools.json")).withModel("gpt-4o");

    assertThat(codec.format()).isEqualTo(ChatFormat.OPENAI_CHAT);
    assertThat(codec.encodeRequest(request)).isEqualTo(openai.encodeRequest(request));
  }

  @Test
  void shouldDecodeAnswersWithTheirFilterResultsAndCachedTokens() {
    ChatResponse response = codec.decodeResponse(Fixtures.json("azureopenai/response-text.json"));

    assertThat(response.content()).containsExactly(
        new ContentPart.Text("Kubernetes is an open-source platform for running containerized workloads at scale."));
    assertThat(response.finishReason()).isEqualTo(FinishReason.stop);
    assertThat(response.usage()).isEqualTo(new TokenCounts(1318, 1280, 0, 16, 0));
  }

  @Test
  void shouldNotTakeTheBlankIdAndModelOfTheFilterChunkForTheAnswers() {
    byte[] body = Fixtures.bytes("azureopenai/stream-text.sse");

    StreamDecoder decoder = codec.streamDecoder();
    List<ChatEvent> events = Fixtures.decodeBytewise(decoder, body);

    assertThat(events).containsExactly(
        new ChatEvent.Start(null, null),
        new ChatEvent.TextDelta("Kubernetes runs"),
        new ChatEvent.TextDelta(" containers."),
        new ChatEvent.Finish(FinishReason.stop),
        new ChatEvent.Usage(new TokenCounts(15, 0, 0, 4, 0)));
    assertThat(decoder.completed()).isTrue();
    assertThat(Fixtures.decodeRandomChunks(codec.streamDecoder(), body, 7)).isEqualTo(events);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(400, "azureopenai/error-content-filter.json", ErrorReason.UPSTREAM_BAD_REQUEST, 400,
            "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry."),
        Arguments.of(429, "azureopenai/error-429.json", ErrorReason.UPSTREAM_RATE_LIMITED, 429,
            "azureopenai rate limit: Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 "
                + "have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 6 seconds."),
        Arguments.of(401, "azureopenai/error-401.json", ErrorReason.UPSTREAM_UNAUTHORIZED, 502,
            "azureopenai rejected the gateway's credential (401)"),
        Arguments.of(500, null, ErrorReason.UPSTREAM_ERROR, 502, "azureopenai error (500): no message"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("errors")
  void shouldMapErrors(int status, @Nullable String fixture, ErrorReason reason, int clientStatus, String message) {
    JsonNode body = fixture == null ? null : Fixtures.json(fixture);

    GatewayException error = codec.decodeError(status, body, Duration.ofSeconds(6));

    assertThat(error.reason()).isEqualTo(reason);
    assertThat(error.status()).isEqualTo(clientStatus);
    assertThat(error.getMessage()).isEqualTo(message);
  }

  private static Provider provider(
      @Nullable String endpoint, @Nullable String apiVersion, @Nullable String deployment, @Nullable String host, @Nullable Integer port) {
    TreeMap<String, String> settings = new TreeMap<>();
    if (endpoint != null) {
      settings.put("endpoint", endpoint);
    }
    if (apiVersion != null) {
      settings.put("apiVersion", apiVersion);
    }
    if (deployment != null) {
      settings.put("deploymentName", deployment);
    }
    return new Provider("azure", ProviderType.azureopenai, null, host, port, null, null, false, settings, Provider.ProviderAuth.none());
  }
}
