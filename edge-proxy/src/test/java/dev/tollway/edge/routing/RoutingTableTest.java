package dev.tollway.edge.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.schemas.snapshot.Backend;
import dev.tollway.schemas.snapshot.BackendRef;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.Listener;
import dev.tollway.schemas.snapshot.RouteEntry;
import dev.tollway.schemas.snapshot.RouteFilter;
import dev.tollway.schemas.snapshot.RouteMatch;
import dev.tollway.schemas.snapshot.RouteMatch.PathMatch;
import dev.tollway.schemas.snapshot.RouteMatch.ValueMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RoutingTableTest {

  private static final BackendResolver HOST_RESOLVER =
      (snapshot, ref) -> new ResolvedBackend.Host(ref.backend(), new Backend.HostBackend("svc", 8080, false));

  private static RouteEntry entry(String route, int rule, RouteMatch match, String... hostnames) {
    return new RouteEntry(route, rule, List.of("http"), List.of(hostnames), match, List.of(),
        List.of(BackendRef.resolved("default/b", 1)), null);
  }

  private static RouteMatch path(PathMatch.Type type, String value) {
    return new RouteMatch(new PathMatch(type, value), List.of(), List.of(), null);
  }

  /** Entries in precedence order, as config-service emits them. */
  private static final List<RouteEntry> ENTRIES = List.of(
      entry("default/exact", 0, path(PathMatch.Type.Exact, "/v1/models")),
      entry("default/regex", 0, path(PathMatch.Type.RegularExpression, "/v[0-9]+/embeddings")),
      entry("default/header", 0, new RouteMatch(new PathMatch(PathMatch.Type.PathPrefix, "/ai"),
          List.of(new ValueMatch(ValueMatch.Type.Exact, "X-Gateway-Model", "fast")), List.of(), null)),
      entry("default/query", 0, new RouteMatch(new PathMatch(PathMatch.Type.PathPrefix, "/ai"), List.of(),
          List.of(new ValueMatch(ValueMatch.Type.RegularExpression, "tier", "gold|silver")), null)),
      entry("default/method", 0, new RouteMatch(new PathMatch(PathMatch.Type.PathPrefix, "/ai/get"), List.of(), List.of(), "GET")),
      entry("default/gemini", 0, path(PathMatch.Type.PathPrefix, "/ai/gemini")),
      entry("default/host", 0, path(PathMatch.Type.PathPrefix, "/"), "*.example.com", "api.local"),
      entry("default/fallback", 0, path(PathMatch.Type.PathPrefix, "/fallback")));

  private static final RoutingTable TABLE = RoutingTable.compile(
      List.of(GatewaySnapshot.of("default/gw", "agentgateway", List.of(new Listener("http", "HTTP", 80, null, null)),
          ENTRIES, Map.of())),
      HOST_RESOLVER, problem -> { throw new AssertionError(problem); });

  static Stream<Arguments> requests() {
    return Stream.of(
        // method, host, path, query, headers → expected route (or "none")
        Arguments.of("GET", "localhost", "/v1/models", Map.of(), Map.of(), "default/exact"),
        Arguments.of("GET", "localhost", "/v1/models/x", Map.of(), Map.of(), "none"),
        Arguments.of("POST", "localhost", "/v2/embeddings", Map.of(), Map.of(), "default/regex"),
        Arguments.of("POST", "localhost", "/v2/embeddings/x", Map.of(), Map.of(), "none"),
        Arguments.of("POST", "localhost", "/ai/gemini/x", Map.of(), Map.of("x-gateway-model", List.of("fast")), "default/header"),
        Arguments.of("POST", "localhost", "/ai/gemini/x", Map.of(), Map.of("x-gateway-model", List.of("slow")), "default/gemini"),
        Arguments.of("POST", "localhost", "/ai/x", Map.of("tier", List.of("gold")), Map.of(), "default/query"),
        Arguments.of("POST", "localhost", "/ai/x", Map.of("tier", List.of("bronze")), Map.of(), "none"),
        Arguments.of("GET", "localhost", "/ai/get/x", Map.of(), Map.of(), "default/method"),
        Arguments.of("POST", "localhost", "/ai/get/x", Map.of(), Map.of(), "none"),
        Arguments.of("POST", "localhost", "/ai/gemini", Map.of(), Map.of(), "default/gemini"),
        Arguments.of("POST", "localhost", "/ai/gemini/", Map.of(), Map.of(), "default/gemini"),
        Arguments.of("POST", "localhost", "/ai/gemini/v1/chat/completions", Map.of(), Map.of(), "default/gemini"),
        Arguments.of("POST", "localhost", "/ai/geminix", Map.of(), Map.of(), "none"),
        Arguments.of("POST", "a.example.com", "/anything", Map.of(), Map.of(), "default/host"),
        Arguments.of("POST", "a.b.example.com", "/anything", Map.of(), Map.of(), "default/host"),
        Arguments.of("POST", "example.com", "/anything", Map.of(), Map.of(), "none"),
        Arguments.of("POST", "api.local", "/anything", Map.of(), Map.of(), "default/host"),
        Arguments.of("POST", "localhost", "/fallback/x", Map.of(), Map.of(), "default/fallback"));
  }

  @ParameterizedTest(name = "{0} {1}{2} {3} {4} → {5}")
  @MethodSource("requests")
  void shouldPickTheFirstEntryThatMatches(
      String method, String host, String path, Map<String, List<String>> query, Map<String, List<String>> headers,
      String expected) {
    RequestView request = new RequestView(80, method, host, path, "", headers, query);

    Optional<RouteDecision> decision = TABLE.match(request);

    assertThat(decision.map(d -> d.route().entry().route()).orElse("none")).isEqualTo(expected);
  }

  @Test
  void shouldMatchNothingOnAPortWithoutAListenerOrForAnotherListenersRoutes() {
    RoutingTable table = RoutingTable.compile(
        List.of(GatewaySnapshot.of("default/gw", "agentgateway",
            List.of(new Listener("http", "HTTP", 80, null, null), new Listener("admin", "HTTP", 81, "admin.local", null)),
            List.of(new RouteEntry("default/r", 0, List.of("admin"), List.of(), RouteMatch.any(), List.of(),
                List.of(BackendRef.resolved("default/b", 1)), null)), Map.of())),
        HOST_RESOLVER, problem -> { });

    assertThat(table.declaredPorts()).containsExactly(80, 81);
    assertThat(table.match(view(80, "admin.local", "/x"))).isEmpty();
    assertThat(table.match(view(81, "other.local", "/x"))).isEmpty();
    assertThat(table.match(view(81, "admin.local", "/x"))).hasValueSatisfying(d -> assertThat(d.listener()).isEqualTo("admin"));
    assertThat(table.match(view(82, "admin.local", "/x"))).isEmpty();
  }

  @Test
  void shouldApplyTheRewriteAndHeaderModifierOfTheMatchedEntry() {
    RouteFilter.HeaderModifier modifier = new RouteFilter.HeaderModifier(
        List.of(new RouteFilter.Header("x-set", "1")), List.of(), List.of("x-drop"));
    RouteEntry entry = new RouteEntry("default/llm-route", 0, List.of("http"), List.of(),
        path(PathMatch.Type.PathPrefix, "/ai/gemini"),
        List.of(RouteFilter.urlRewrite(new RouteFilter.UrlRewrite("upstream.local",
                new RouteFilter.PathModifier(RouteFilter.PathModifier.Type.ReplacePrefixMatch, "/"))),
            RouteFilter.requestHeaderModifier(modifier)),
        List.of(BackendRef.resolved("default/b", 1)), null);
    RoutingTable table = RoutingTable.compile(List.of(GatewaySnapshot.of("default/gw", "agentgateway",
        List.of(new Listener("http", "HTTP", 80, null, null)), List.of(entry), Map.of())), HOST_RESOLVER, p -> { });

    RouteDecision decision = table.match(new RequestView(80, "POST", "h", "/ai/gemini/v1/chat/completions", "a=1",
        Map.of(), Map.of())).orElseThrow();

    assertThat(decision.pathAndQuery()).isEqualTo("/v1/chat/completions?a=1");
    assertThat(decision.hostRewrite()).isEqualTo("upstream.local");
    assertThat(decision.headerModifiers()).containsExactly(modifier);
    assertThat(decision.route().id()).isEqualTo("default/llm-route#0");
  }

  @Test
  void shouldLeaveOutAnEntryWhoseRegexDoesNotCompileAndKeepTheOthers() {
    List<String> problems = new ArrayList<>();
    RoutingTable table = RoutingTable.compile(List.of(GatewaySnapshot.of("default/gw", "agentgateway",
        List.of(new Listener("http", "HTTP", 80, null, null)),
        List.of(entry("default/bad", 0, path(PathMatch.Type.RegularExpression, "/([a-z")),
            entry("default/good", 0, path(PathMatch.Type.PathPrefix, "/"))), Map.of())), HOST_RESOLVER, problems::add);

    assertThat(problems).singleElement().asString().contains("default/bad#0");
    assertThat(table.match(view(80, "h", "/abc"))).hasValueSatisfying(
        d -> assertThat(d.route().entry().route()).isEqualTo("default/good"));
  }

  @Test
  void shouldResolveEachBackendOncePerSnapshotAndKeepUnresolvedReferencesUnavailable() {
    List<String> resolved = new ArrayList<>();
    BackendResolver counting = (snapshot, ref) -> {
      resolved.add(ref.backend());
      return HOST_RESOLVER.resolve(snapshot, ref);
    };
    RouteEntry a = new RouteEntry("default/a", 0, List.of(), List.of(), RouteMatch.any(), List.of(),
        List.of(BackendRef.resolved("default/b", 1), BackendRef.unresolved("default/x", 1, "not found")), null);
    RouteEntry b = new RouteEntry("default/b", 0, List.of(), List.of(), RouteMatch.any(), List.of(),
        List.of(BackendRef.resolved("default/b", 1)), null);

    RoutingTable table = RoutingTable.compile(List.of(GatewaySnapshot.of("default/gw", "c",
        List.of(new Listener("http", "HTTP", 80, null, null)), List.of(a, b), Map.of())), counting, p -> { });

    assertThat(resolved).containsExactly("default/b");
    RouteDecision decision = table.match(view(80, "h", "/")).orElseThrow();
    assertThat(decision.route().backends()).extracting(WeightedBackend::backend)
        .containsExactly(new ResolvedBackend.Host("default/b", new Backend.HostBackend("svc", 8080, false)),
            new ResolvedBackend.Unavailable("default/x", "not found"));
  }

  private static RequestView view(int port, String host, String path) {
    return new RequestView(port, "POST", host, path, "", Map.of(), Map.of());
  }
}
