package dev.tollway.edge.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.edge.llm.ChatFormat;
import dev.tollway.edge.routing.RouteDecision;
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

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "/v1/messages,                                         ANTHROPIC_MESSAGES",
    "/ai/claude/v1/messages/count_tokens,                  ANTHROPIC_MESSAGES",
    "/v1beta/models/gemini-2.5-flash:generateContent,      GEMINI_GENERATE_CONTENT",
    "/v1beta/models/gemini-2.5-flash:streamGenerateContent, GEMINI_GENERATE_CONTENT",
    "/v1beta/models/gemini-2.5-flash:countTokens,          GEMINI_GENERATE_CONTENT",
    "/v1/chat/completions,                                 OPENAI_CHAT",
    "/v1/responses,                                        OPENAI_CHAT",
    "/nowhere,                                             OPENAI_CHAT",
  })
  void shouldGuessTheClientApiOfAPathForErrorsBeforeRouting(String path, ChatFormat expected) {
    assertThat(ClientApis.likelyFormat(path)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(nullValues = "null", value = {
    "/v1beta/models/gemini-2.5-flash:generateContent,                 gemini-2.5-flash,  generateContent",
    "/ai/g/v1beta/models/gemini-2.5-flash:streamGenerateContent,      gemini-2.5-flash,  streamGenerateContent",
    "/v1/projects/p/locations/l/publishers/google/models/m-1:countTokens, m-1,           countTokens",
    "/v1beta/models/tuned%2Fmine:generateContent,                     tuned/mine,        generateContent",
    "/v1beta/models:generateContent,                                  null,              null",
    "/v1/chat/completions,                                            null,              null",
  })
  void shouldReadTheModelAndMethodOfAGeminiPath(String path, String model, String method) {
    GeminiPath parsed = GeminiPath.parse(path);
    if (model == null) {
      assertThat(parsed).isNull();
    } else {
      assertThat(parsed).isEqualTo(new GeminiPath(model, method));
    }
  }

  @ParameterizedTest(name = "query [{0}] → {1}")
  @CsvSource(nullValues = "null", value = {
    "'',                      /v1/x",
    "alt=sse&key=AIza123,     /v1/x?alt=sse",
    "key=AIza123,             /v1/x",
    "keyring=1&key=2&a=b,     /v1/x?keyring=1&a=b",
  })
  void shouldNeverPassAGeminiKeyQueryParameterThrough(String query, String expected) {
    RouteDecision route = new RouteDecision(
        dev.tollway.edge.routing.CompiledRoute.compile("default/gw", dev.tollway.edge.testing.TestSnapshots.catchAll("default/r", "default/b"), List.of(),
            dev.tollway.edge.auth.RouteKeys.none()),
        "http", "/v1/x", query, null, List.of());
    assertThat(PassthroughHandler.withoutKey(route)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "query [{0}] → {1}")
  @CsvSource(nullValues = "null", value = {
    "'',                              null",
    "alt=sse,                         null",
    "alt=sse&key=AIza123,             AIza123",
    "key=&key=AIza%2B1,               AIza+1",
    "keyring=1,                       null",
  })
  void shouldReadAGeminiKeyQueryParameterAsTheClientsCredential(String query, String expected) {
    assertThat(QueryKey.in(query)).isEqualTo(expected);
    assertThat(Credentials.clientCredential(new HeaderMap(), query)).isEqualTo(expected);
  }

  @Test
  void shouldPreferAClientCredentialHeaderToTheKeyQueryParameter() {
    HeaderMap headers = new HeaderMap();
    headers.put(new HttpString("x-goog-api-key"), "from-header");

    assertThat(Credentials.clientCredential(headers, "key=from-query")).isEqualTo("from-header");
  }

  @Test
  void shouldTreatEveryPathAsAChatCompletionWhenTheMapIsEmptyOrHasNoMatch() {
    assertThat(RouteTypes.resolve(Map.of(), "/anything")).isEqualTo("Completions");
    assertThat(RouteTypes.resolve(Map.of("/v1/messages", "Messages"), "/v1/chat/completions")).isEqualTo("Completions");
  }

  @Test
  void shouldStripCredentialsHopByHopAndConnectionListedHeadersBoundForAProvider() {
    HeaderMap client = new HeaderMap();
    client.put(new HttpString("Authorization"), "Bearer client");
    client.put(new HttpString("x-api-key"), "client");
    client.put(new HttpString("x-goog-api-key"), "client");
    client.put(new HttpString("api-key"), "client");
    client.put(new HttpString("x-gateway-model"), "gpt-4o");
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
    client.put(new HttpString("x-gateway-model"), "gpt-4o");
    client.put(new HttpString("Mcp-Session-Id"), "s1");
    client.put(new HttpString("Upgrade"), "h2c");
    client.put(new HttpString("Host"), "gateway.local");

    // When it is bound for a plain HTTP backend, once with a route filter that sets the backend's own token
    HeaderMap out = ForwardHeaders.forHost(client, List.of());
    HeaderMap configured = ForwardHeaders.forHost(client, List.of(new RouteFilter.HeaderModifier(
        List.of(new RouteFilter.Header("Authorization", "Bearer configured")), List.of(), List.of())));

    // Then only the session header (and the gateway's own model header) cross; a credential reaches the backend only
    // where the configuration sets it
    assertThat(names(out)).containsExactlyInAnyOrder("mcp-session-id", "x-gateway-model");
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
