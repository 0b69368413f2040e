package dev.tollway.edge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.schemas.snapshot.RouteFilter;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PipelineRulesTest {

  private static final Map<String, String> ROUTES = new TreeMap<>(Map.of(
      "/v1/chat/completions", "Completions",
      "/v1/messages", "Messages",
      "/v1/messages/count_tokens", "AnthropicTokenCount",
      "*", "Passthrough"));

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "/v1/chat/completions,         Completions",
    "/openai/v1/chat/completions,  Completions",
    "/v1/messages,                 Messages",
    "/v1/messages/count_tokens,    AnthropicTokenCount",
    "/v1/models,                   Passthrough",
  })
  void shouldPickTheLongestMatchingSuffixThenTheWildcard(String path, String expected) {
    assertThat(RouteTypes.resolve(ROUTES, path)).isEqualTo(expected);
  }

  @Test
  void shouldTreatEveryPathAsAChatCompletionWhenTheMapIsEmptyOrHasNoMatch() {
    assertThat(RouteTypes.resolve(Map.of(), "/anything")).isEqualTo("Completions");
    assertThat(RouteTypes.resolve(Map.of("/v1/messages", "Messages"), "/v1/chat/completions")).isEqualTo("Completions");
  }

  @ParameterizedTest(name = "provider={0} request={1} → {2}")
  @CsvSource(nullValues = "null", value = {
    "claude-sonnet-4, gpt-4o,      claude-sonnet-4",
    "null,            fast,        gpt-4o-mini",
    "null,            gpt-4o,      gpt-4o",
    "null,            claude-3-x,  claude-sonnet-4",
    "null,            claude-3-opus-x, claude-opus-4",
    "null,            null,        null",
  })
  void shouldLetTheProvidersModelOverrideThenApplyAliases(String provider, String requested, String expected) {
    Map<String, String> aliases = Map.of("fast", "gpt-4o-mini", "claude-3-*", "claude-sonnet-4",
        "claude-3-opus*", "claude-opus-4");
    assertThat(Models.resolve(provider, requested, aliases)).isEqualTo(expected);
  }

  @Test
  void shouldStripCredentialsHopByHopAndConnectionListedHeadersBoundForAProvider() {
    HeaderMap client = new HeaderMap();
    client.put(new HttpString("Authorization"), "Bearer client");
    client.put(new HttpString("x-api-key"), "client");
    client.put(new HttpString("x-goog-api-key"), "client");
    client.put(new HttpString("Cookie"), "a=b");
    client.put(new HttpString("Connection"), "keep-alive, x-private");
    client.put(new HttpString("x-private"), "1");
    client.put(new HttpString("Transfer-Encoding"), "chunked");
    client.put(new HttpString("Proxy-Authorization"), "Basic x");
    client.put(new HttpString("Host"), "gateway.local");
    client.put(new HttpString("Content-Length"), "12");
    client.put(new HttpString("Accept-Encoding"), "gzip");
    client.put(new HttpString("anthropic-beta"), "tools");
    client.put(new HttpString("x-drop"), "1");
    var modifier = new RouteFilter.HeaderModifier(List.of(new RouteFilter.Header("x-set", "s")),
        List.of(new RouteFilter.Header("anthropic-beta", "more")), List.of("x-drop"));

    HeaderMap out = ForwardHeaders.forProvider(client, List.of(modifier));

    assertThat(names(out)).containsExactlyInAnyOrder("anthropic-beta", "x-set");
    assertThat(out.get("anthropic-beta")).containsExactly("tools", "more");
  }

  @Test
  void shouldNeverForwardTheClientsCredentialsOrCookiesToAPlainHttpBackend() {
    // Given a client request with its own credentials, a cookie, a hop-by-hop header and a session header
    HeaderMap client = new HeaderMap();
    client.put(new HttpString("Authorization"), "Bearer github-token");
    client.put(new HttpString("Cookie"), "session=abc");
    client.put(new HttpString("x-api-key"), "client-key");
    client.put(new HttpString("Mcp-Session-Id"), "s1");
    client.put(new HttpString("Upgrade"), "h2c");
    client.put(new HttpString("Host"), "gateway.local");

    // When it is bound for a plain HTTP backend, once with a route filter that sets the backend's own token
    HeaderMap out = ForwardHeaders.forHost(client, List.of());
    HeaderMap configured = ForwardHeaders.forHost(client, List.of(new RouteFilter.HeaderModifier(
        List.of(new RouteFilter.Header("Authorization", "Bearer configured")), List.of(), List.of())));

    // Then only the session header crosses; a credential reaches the backend only where the configuration sets it
    assertThat(names(out)).containsExactlyInAnyOrder("mcp-session-id");
    assertThat(configured.getFirst("Authorization")).isEqualTo("Bearer configured");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(nullValues = "null", value = {"abc-123", "req:42.a_b"})
  void shouldKeepASaneClientRequestId(String id) {
    assertThat(RequestIdHandler.saneOrNew(id)).isEqualTo(id);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(nullValues = "null", value = {"null", "'has space'", "'new\nline'", "'<script>'"})
  void shouldReplaceAnInsaneClientRequestId(String id) {
    assertThat(RequestIdHandler.saneOrNew(id)).isNotEqualTo(id).matches("[0-9a-f-]{36}");
  }

  private static List<String> names(HeaderMap headers) {
    return headers.getHeaderNames().stream().map(h -> h.toString().toLowerCase()).toList();
  }
}
