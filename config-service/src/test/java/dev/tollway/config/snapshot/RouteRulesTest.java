package dev.tollway.config.snapshot;

import static dev.tollway.config.snapshot.Fixtures.BACKEND_OPENAI;
import static dev.tollway.config.snapshot.Fixtures.GATEWAY_ALL;
import static dev.tollway.config.snapshot.Fixtures.compile;
import static dev.tollway.config.snapshot.Fixtures.parentCondition;
import static dev.tollway.config.snapshot.Fixtures.route;
import static dev.tollway.config.snapshot.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.config.status.Condition;
import dev.tollway.config.status.ConditionStatus;
import dev.tollway.schemas.snapshot.RouteEntry;
import dev.tollway.schemas.snapshot.RouteFilter;
import dev.tollway.schemas.snapshot.RouteMatch;
import dev.tollway.schemas.snapshot.RouteTimeouts;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules: matches, filters, timeouts, and what happens to invalid rules. */
class RouteRulesTest {

  private static final String TO_OPENAI = "backendRefs: [{group: agentgateway.dev, kind: AgentgatewayBackend, name: openai}]";

  @Test
  void shouldCompileMatchesHeaderModifierAndTimeouts() {
    // Given
    String r = route("full", "default", """
        - matches:
          - path: {type: Exact, value: /v1/chat/completions}
            method: post
            headers: [{name: x-team, value: red}, {type: RegularExpression, name: x-env, value: "prod|stage"}]
            queryParams: [{name: debug, value: "1"}]
          filters:
          - type: RequestHeaderModifier
            requestHeaderModifier:
              set: [{name: x-route, value: full}]
              add: [{name: x-via, value: tollway}]
              remove: [x-drop]
          - type: URLRewrite
            urlRewrite: {hostname: api.internal, path: {type: ReplaceFullPath, replaceFullPath: /chat}}
          timeouts: {request: 1m30s, backendRequest: 500ms}
          %s
        """.formatted(TO_OPENAI));

    // When
    RouteEntry entry = snapshot(compile(GATEWAY_ALL, BACKEND_OPENAI, r), "default/gw").routes().get(0);

    // Then
    assertThat(entry.match()).isEqualTo(new RouteMatch(
        new RouteMatch.PathMatch(RouteMatch.PathMatch.Type.Exact, "/v1/chat/completions"),
        List.of(new RouteMatch.ValueMatch(RouteMatch.ValueMatch.Type.Exact, "x-team", "red"),
            new RouteMatch.ValueMatch(RouteMatch.ValueMatch.Type.RegularExpression, "x-env", "prod|stage")),
        List.of(new RouteMatch.ValueMatch(RouteMatch.ValueMatch.Type.Exact, "debug", "1")),
        "POST"));
    assertThat(entry.filters()).containsExactly(
        RouteFilter.requestHeaderModifier(new RouteFilter.HeaderModifier(
            List.of(new RouteFilter.Header("x-route", "full")), List.of(new RouteFilter.Header("x-via", "tollway")),
            List.of("x-drop"))),
        RouteFilter.urlRewrite(new RouteFilter.UrlRewrite("api.internal",
            new RouteFilter.PathModifier(RouteFilter.PathModifier.Type.ReplaceFullPath, "/chat"))));
    assertThat(entry.timeouts()).isEqualTo(new RouteTimeouts(90_000L, 500L));
  }

  @Test
  void shouldAnswerRequestsToARuleWithAnUnsupportedFilterWithAnErrorAndKeepTheOthers() {
    // Given a rule with RequestMirror and a valid rule
    String r = route("mirror", "default", """
        - matches: [{path: {value: /mirrored}}]
          filters:
          - type: RequestMirror
            requestMirror: {backendRef: {name: shadow, port: 80}}
          %1$s
        - matches: [{path: {value: /plain}}]
          %1$s
        """.formatted(TO_OPENAI));

    // When
    CompileResult result = compile(GATEWAY_ALL, BACKEND_OPENAI, r);

    // Then the invalid rule stays in place (no fall-through to a less specific route) with an unresolved backend
    List<RouteEntry> routes = snapshot(result, "default/gw").routes();
    assertThat(routes.get(0).match().path().value()).isEqualTo("/mirrored");
    assertThat(routes.get(0).backends().get(0).unresolved()).isEqualTo("rule 0 is not served: spec.rules[0]"
        + ".filters[0].type: filter \"RequestMirror\" is not supported by Tollway (supported: URLRewrite, "
        + "RequestHeaderModifier)");
    assertThat(routes.get(1).backends().get(0).unresolved()).isNull();
    // and the route is accepted but partially invalid
    assertThat(parentCondition(result, "default/mirror", "default/gw", "Accepted").status())
        .isEqualTo(ConditionStatus.True);
    Condition partial = parentCondition(result, "default/mirror", "default/gw", "PartiallyInvalid");
    assertThat(partial.status()).isEqualTo(ConditionStatus.True);
    assertThat(partial.reason()).isEqualTo("UnsupportedValue");
  }

  @Test
  void shouldRefuseReplacePrefixMatchWithAnExactMatch() {
    // Given
    String r = route("rewrite", "default", """
        - matches: [{path: {type: Exact, value: /only}}]
          filters:
          - type: URLRewrite
            urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}
          %s
        """.formatted(TO_OPENAI));

    // When
    CompileResult result = compile(GATEWAY_ALL, BACKEND_OPENAI, r);

    // Then every rule is invalid, so the route is not accepted
    Condition accepted = parentCondition(result, "default/rewrite", "default/gw", "Accepted");
    assertThat(accepted.status()).isEqualTo(ConditionStatus.False);
    assertThat(accepted.reason()).isEqualTo("UnsupportedValue");
    assertThat(accepted.message()).contains(
        "spec.rules[0].filters[0].urlRewrite.path: ReplacePrefixMatch needs every match of the rule to be a "
            + "PathPrefix match");
    assertThat(snapshot(result, "default/gw").routes().get(0).backends().get(0).unresolved()).isNotNull();
  }

  @Test
  void shouldDropARuleWhoseMatchIsInvalidAndReportIt() {
    // Given
    String r = route("badpath", "default", """
        - matches: [{path: {type: PathPrefix, value: no-slash}}]
          %1$s
        - matches: [{path: {value: /fine}}]
          %1$s
        """.formatted(TO_OPENAI));

    // When
    CompileResult result = compile(GATEWAY_ALL, BACKEND_OPENAI, r);

    // Then
    assertThat(snapshot(result, "default/gw").routes()).extracting(e -> e.match().path().value())
        .containsExactly("/fine");
    assertThat(parentCondition(result, "default/badpath", "default/gw", "PartiallyInvalid").message())
        .isEqualTo("spec.rules[0].matches[0].path.value: \"no-slash\" (expected: a path starting with /); "
            + "the rule is dropped");
  }

  @Test
  void shouldRefuseAMalformedTimeout() {
    // Given
    String r = route("slow", "default", """
        - timeouts: {request: 10 seconds}
          %s
        """.formatted(TO_OPENAI));

    // When
    Condition accepted = parentCondition(compile(GATEWAY_ALL, BACKEND_OPENAI, r), "default/slow", "default/gw",
        "Accepted");

    // Then
    assertThat(accepted.message()).contains("spec.rules[0].timeouts.request: \"10 seconds\" (expected: a Gateway "
        + "API duration such as 10s, 500ms or 1h30m)");
  }

  @Test
  void shouldTreatARouteWithoutRulesAsOneCatchAllRuleWithoutBackends() {
    // Given
    String r = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: empty, namespace: default}
        spec:
          parentRefs: [{name: gw}]
        """;

    // When
    List<RouteEntry> routes = snapshot(compile(GATEWAY_ALL, r), "default/gw").routes();

    // Then
    assertThat(routes).singleElement().satisfies(e -> {
      assertThat(e.match()).isEqualTo(RouteMatch.any());
      assertThat(e.backends()).isEmpty();
    });
  }
}
