package dev.tollway.config.snapshot;

import static dev.tollway.config.snapshot.Fixtures.BACKEND_OPENAI;
import static dev.tollway.config.snapshot.Fixtures.GATEWAY_ALL;
import static dev.tollway.config.snapshot.Fixtures.compile;
import static dev.tollway.config.snapshot.Fixtures.route;
import static dev.tollway.config.snapshot.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.schemas.snapshot.RouteEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gateway API precedence among the entries of one Gateway. */
class RoutePrecedenceTest {

  private static final String TO_OPENAI = """
      - backendRefs:
        - group: agentgateway.dev
          kind: AgentgatewayBackend
          name: openai
      """;

  @Test
  void shouldOrderExactBeforeRegexBeforeLongerPrefixThenMethodHeadersAndQuery() {
    // Given one route whose rules are declared least specific first
    String rules = """
        - matches:
          - path: {type: PathPrefix, value: /}
        - matches:
          - path: {type: PathPrefix, value: /}
            queryParams: [{name: q, value: "1"}]
        - matches:
          - path: {type: PathPrefix, value: /}
            headers: [{name: x-a, value: "1"}]
        - matches:
          - path: {type: PathPrefix, value: /}
            headers: [{name: x-a, value: "1"}, {name: x-b, value: "2"}]
        - matches:
          - path: {type: PathPrefix, value: /}
            method: POST
        - matches:
          - path: {type: PathPrefix, value: /v1}
        - matches:
          - path: {type: PathPrefix, value: /v1/chat}
        - matches:
          - path: {type: RegularExpression, value: "/v[0-9]+/x"}
        - matches:
          - path: {type: Exact, value: /v1/chat}
        """;

    // When
    List<RouteEntry> routes = snapshot(compile(GATEWAY_ALL, BACKEND_OPENAI, route("r", "default", rules)),
        "default/gw").routes();

    // Then
    assertThat(routes).extracting(RouteEntry::rule).containsExactly(8, 7, 6, 5, 4, 3, 2, 1, 0);
  }

  @Test
  void shouldOrderExactHostnamesBeforeWildcardsBeforeAnyHostname() {
    // Given three routes with the same path but different hostnames, the least specific with an Exact path
    String any = route("any", "default", "- matches: [{path: {type: Exact, value: /v1}}]\n");
    String wildcard = route("wildcard", "default", "- {}\n")
        .replace("spec:\n", "spec:\n  hostnames: ['*.example.com']\n");
    String longerWildcard = route("longer", "default", "- {}\n")
        .replace("spec:\n", "spec:\n  hostnames: ['*.api.example.com']\n");
    String exact = route("exact", "default", "- {}\n")
        .replace("spec:\n", "spec:\n  hostnames: [chat.example.com]\n");

    // When
    List<RouteEntry> routes = snapshot(compile(GATEWAY_ALL, any, wildcard, longerWildcard, exact), "default/gw")
        .routes();

    // Then
    assertThat(routes).extracting(RouteEntry::route)
        .containsExactly("default/exact", "default/longer", "default/wildcard", "default/any");
    assertThat(routes.get(0).hostnames()).containsExactly("chat.example.com");
    assertThat(routes.get(3).hostnames()).isEmpty();
  }

  @Test
  void shouldSplitARouteWithSeveralHostnamesIntoOneEntryPerHostname() {
    // Given a route with an exact and a wildcard hostname
    String r = route("multi", "default", "- {}\n")
        .replace("spec:\n", "spec:\n  hostnames: ['*.example.com', a.example.com]\n");

    // When
    List<RouteEntry> routes = snapshot(compile(GATEWAY_ALL, r), "default/gw").routes();

    // Then the exact hostname's entry comes first
    assertThat(routes).extracting(e -> e.hostnames().get(0)).containsExactly("a.example.com", "*.example.com");
  }

  @Test
  void shouldPreferTheOldestRouteThenTheAlphabeticallyFirstOnATie() {
    // Given identical matches in routes of different ages and names
    String young = route("a-young", "default", TO_OPENAI)
        .replace("  namespace: default\nspec:", "  namespace: default\n  creationTimestamp: '2025-06-01T00:00:00Z'\nspec:");
    String old = route("z-old", "default", TO_OPENAI)
        .replace("  namespace: default\nspec:", "  namespace: default\n  creationTimestamp: '2024-01-01T00:00:00Z'\nspec:");
    String undated = route("b-undated", "default", TO_OPENAI);
    String otherNamespace = route("a-undated", "other", TO_OPENAI);

    // When
    List<RouteEntry> routes = snapshot(compile(GATEWAY_ALL, BACKEND_OPENAI, young, old, undated, otherNamespace),
        "default/gw").routes();

    // Then dated routes by age, then undated ones by namespace/name
    assertThat(routes).extracting(RouteEntry::route)
        .containsExactly("default/z-old", "default/a-young", "default/b-undated", "other/a-undated");
  }

  @Test
  void shouldMakeOneEntryPerMatchInDeclarationOrderWhenTheyTie() {
    // Given one rule with two equally specific matches
    String r = route("two", "default", """
        - matches:
          - path: {type: PathPrefix, value: /bb}
          - path: {type: PathPrefix, value: /aa}
        """);

    // When
    List<RouteEntry> routes = snapshot(compile(GATEWAY_ALL, r), "default/gw").routes();

    // Then
    assertThat(routes).extracting(e -> e.match().path().value()).containsExactly("/bb", "/aa");
    assertThat(routes).extracting(RouteEntry::rule).containsExactly(0, 0);
  }
}
