package dev.tollway.edge.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.schemas.snapshot.Provider;
import dev.tollway.schemas.snapshot.Provider.ProviderType;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProviderProtocolsTest {

  private static Provider provider(
      ProviderType type, @Nullable String host, @Nullable Integer port, @Nullable String path, @Nullable String prefix, boolean tls) {
    return new Provider("p", type, null, host, port, path, prefix, tls, new TreeMap<>(), Provider.ProviderAuth.none());
  }

  @Test
  void shouldUseTheDefaultHostsOverTls() {
    assertThat(ProviderProtocols.of(ProviderType.openai).chatTarget(provider(ProviderType.openai, null, null, null, null, false), "gpt-4o", false))
        .isEqualTo(new UpstreamTarget("api.openai.com", 443, true, "/v1/chat/completions"));
    assertThat(ProviderProtocols.of(ProviderType.anthropic).chatTarget(provider(ProviderType.anthropic, null, null, null, null, false), "claude", true))
        .isEqualTo(new UpstreamTarget("api.anthropic.com", 443, true, "/v1/messages"));
    assertThat(ProviderProtocols.of(ProviderType.gemini).chatTarget(provider(ProviderType.gemini, null, null, null, null, false), "gemini-2.5-flash", false))
        .isEqualTo(new UpstreamTarget("generativelanguage.googleapis.com", 443, true, "/v1beta/models/gemini-2.5-flash:generateContent"));
    assertThat(ProviderProtocols.of(ProviderType.gemini).chatTarget(provider(ProviderType.gemini, null, null, null, null, false), "models/gemini-2.5-flash", true))
        .isEqualTo(new UpstreamTarget("generativelanguage.googleapis.com", 443, true, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"));
  }

  @Test
  void shouldApplyHostPortPathAndPrefixOverrides() {
    // A host override is plain HTTP unless tls is set
    assertThat(ProviderProtocols.of(ProviderType.anthropic).chatTarget(provider(ProviderType.anthropic, "127.0.0.1", 18080, null, null, false), "m", false))
        .isEqualTo(new UpstreamTarget("127.0.0.1", 18080, false, "/v1/messages"));
    assertThat(ProviderProtocols.of(ProviderType.openai).chatTarget(provider(ProviderType.openai, "llm.internal", null, null, null, true), "m", false))
        .isEqualTo(new UpstreamTarget("llm.internal", 443, true, "/v1/chat/completions"));
    // pathPrefix replaces /v1; path replaces everything
    assertThat(ProviderProtocols.of(ProviderType.openai).chatTarget(provider(ProviderType.openai, "ollama", 11434, null, "/api/v1/", false), "m", false))
        .isEqualTo(new UpstreamTarget("ollama", 11434, false, "/api/v1/chat/completions"));
    assertThat(ProviderProtocols.of(ProviderType.openai).chatTarget(provider(ProviderType.openai, "vllm", 8000, "/openai/chat", null, false), "m", true))
        .isEqualTo(new UpstreamTarget("vllm", 8000, false, "/openai/chat"));
  }

  @Test
  void shouldRequireAModelForGemini() {
    assertThatThrownBy(() -> ProviderProtocols.of(ProviderType.gemini).chatTarget(provider(ProviderType.gemini, null, null, null, null, false), null, false))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_REQUEST))
        .hasMessageStartingWith("model: required");
  }

  @Test
  void shouldSendTheKeyEachProvidersWay() {
    assertThat(ProviderProtocols.of(ProviderType.openai).headers("sk-1")).isEqualTo(Map.of("Authorization", "Bearer sk-1"));
    assertThat(ProviderProtocols.of(ProviderType.anthropic).headers("sk-ant-api03-x"))
        .isEqualTo(Map.of("x-api-key", "sk-ant-api03-x", "anthropic-version", "2023-06-01"));
    assertThat(ProviderProtocols.of(ProviderType.anthropic).headers("sk-ant-oat01-x"))
        .isEqualTo(Map.of("Authorization", "Bearer sk-ant-oat01-x", "anthropic-version", "2023-06-01"));
    assertThat(ProviderProtocols.of(ProviderType.gemini).headers("AIza-x")).isEqualTo(Map.of("x-goog-api-key", "AIza-x"));
    assertThat(ProviderProtocols.of(ProviderType.openai).headers(null)).isEmpty();
  }

  @Test
  void shouldNameProvidersTheOpenTelemetryWay() {
    assertThat(ProviderProtocols.of(ProviderType.openai).otelName()).isEqualTo("openai");
    assertThat(ProviderProtocols.of(ProviderType.anthropic).otelName()).isEqualTo("anthropic");
    assertThat(ProviderProtocols.of(ProviderType.gemini).otelName()).isEqualTo("gcp.gemini");
    assertThat(ProviderProtocols.of(ProviderType.gemini).type()).isEqualTo(ProviderType.gemini);
  }

  @ParameterizedTest
  @EnumSource(ProviderType.class)
  void shouldHaveAProtocolForEveryProviderType(ProviderType type) {
    assertThat(ProviderProtocols.of(type).type()).isEqualTo(type);
  }

  @Test
  void shouldNameTheCloudProvidersTheOpenTelemetryWay() {
    assertThat(ProviderProtocols.of(ProviderType.bedrock).otelName()).isEqualTo("aws.bedrock");
    assertThat(ProviderProtocols.of(ProviderType.vertexai).otelName()).isEqualTo("gcp.vertex_ai");
    assertThat(ProviderProtocols.of(ProviderType.azureopenai).otelName()).isEqualTo("azure.ai.openai");
  }

  @Test
  void shouldAuthenticateWithThePlainHeadersByDefault() throws Exception {
    Provider openai = provider(ProviderType.openai, null, null, null, null, false);
    UpstreamTarget target = ProviderProtocols.of(ProviderType.openai).chatTarget(openai, "gpt-4o", false);

    assertThat(ProviderProtocols.of(ProviderType.openai).authenticate(openai, target, "POST", new byte[0], "sk-1")
            .toCompletableFuture().get())
        .isEqualTo(Map.of("Authorization", "Bearer sk-1"));
  }

  @Test
  void shouldGiveProviderOnlyFormatsCodecsThatRefuseClients() {
    assertThatThrownBy(() -> ProviderProtocols.codec(ChatFormat.BEDROCK_CONVERSE).decodeRequest(Fixtures.parse("{}")))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.NOT_IMPLEMENTED));
    assertThatThrownBy(() -> ProviderProtocols.codec(ChatFormat.VERTEX_AI).decodeRequest(Fixtures.parse("{}")))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.NOT_IMPLEMENTED));
  }

  @ParameterizedTest
  @EnumSource(ChatFormat.class)
  void shouldHaveACodecForEveryFormat(ChatFormat format) {
    assertThat(ProviderProtocols.codec(format).format()).isEqualTo(format);
  }
}
