package dev.tollway.config.snapshot;

import dev.tollway.schemas.snapshot.RouteFilter;
import dev.tollway.schemas.snapshot.RouteFilter.Header;
import dev.tollway.schemas.snapshot.RouteFilter.HeaderModifier;
import dev.tollway.schemas.snapshot.RouteFilter.PathModifier;
import dev.tollway.schemas.snapshot.RouteMatch;
import dev.tollway.schemas.snapshot.RouteMatch.PathMatch;
import dev.tollway.schemas.snapshot.RouteMatch.ValueMatch;
import dev.tollway.schemas.snapshot.RouteTimeouts;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeader;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPHeaderMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPQueryParamMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteTimeouts;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPURLRewriteFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Translates the parts of an HTTPRoute rule: matches, filters and timeouts. Each method throws
 * {@link InvalidRule} naming the field when the value is invalid or not supported.
 */
final class RuleCompiler {

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  private RuleCompiler() {}

  static List<RouteMatch> matches(@Nullable List<HTTPRouteMatch> specs, String path) {
    if (specs == null || specs.isEmpty()) {
      return List.of(RouteMatch.any());
    }
    List<RouteMatch> matches = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      matches.add(match(specs.get(i), path + ".matches[" + i + "]"));
    }
    return matches;
  }

  private static RouteMatch match(HTTPRouteMatch spec, String path) {
    PathMatch pathMatch = path(spec.getPath(), path + ".path");
    List<ValueMatch> headers = new ArrayList<>();
    List<HTTPHeaderMatch> headerSpecs = spec.getHeaders() == null ? List.of() : spec.getHeaders();
    for (int i = 0; i < headerSpecs.size(); i++) {
      HTTPHeaderMatch h = headerSpecs.get(i);
      headers.add(value(h.getType(), h.getName(), h.getValue(), path + ".headers[" + i + "]"));
    }
    List<ValueMatch> queryParams = new ArrayList<>();
    List<HTTPQueryParamMatch> querySpecs = spec.getQueryParams() == null ? List.of() : spec.getQueryParams();
    for (int i = 0; i < querySpecs.size(); i++) {
      HTTPQueryParamMatch q = querySpecs.get(i);
      queryParams.add(value(q.getType(), q.getName(), q.getValue(), path + ".queryParams[" + i + "]"));
    }
    @Nullable String method = null;
    if (spec.getMethod() != null) {
      method = spec.getMethod().toUpperCase(Locale.ROOT);
      if (!METHODS.contains(method)) {
        throw new InvalidRule(path + ".method: \"" + spec.getMethod() + "\" (expected: an HTTP method)");
      }
    }
    return new RouteMatch(pathMatch, headers, queryParams, method);
  }

  private static PathMatch path(@Nullable HTTPPathMatch spec, String path) {
    if (spec == null) {
      return RouteMatch.any().path();
    }
    String type = spec.getType() == null ? "PathPrefix" : spec.getType();
    String value = spec.getValue() == null ? "/" : spec.getValue();
    switch (type) {
      case "Exact", "PathPrefix" -> {
        if (!value.startsWith("/")) {
          throw new InvalidRule(path + ".value: \"" + value + "\" (expected: a path starting with /)");
        }
        return new PathMatch(PathMatch.Type.valueOf(type), value);
      }
      case "RegularExpression" -> {
        requireRegex(value, path + ".value");
        return new PathMatch(PathMatch.Type.RegularExpression, value);
      }
      default -> throw new InvalidRule(
          path + ".type: \"" + type + "\" (expected: Exact, PathPrefix or RegularExpression)");
    }
  }

  private static ValueMatch value(
      @Nullable String type, @Nullable String name, @Nullable String value, String path) {
    String t = type == null ? "Exact" : type;
    if (name == null || name.isBlank()) {
      throw new InvalidRule(path + ".name: missing");
    }
    if (value == null) {
      throw new InvalidRule(path + ".value: missing");
    }
    if (t.equals("RegularExpression")) {
      requireRegex(value, path + ".value");
    } else if (!t.equals("Exact")) {
      throw new InvalidRule(path + ".type: \"" + t + "\" (expected: Exact or RegularExpression)");
    }
    return new ValueMatch(ValueMatch.Type.valueOf(t), name, value);
  }

  private static void requireRegex(String value, String path) {
    try {
      Pattern.compile(value);
    } catch (PatternSyntaxException e) {
      throw new InvalidRule(path + ": not a valid regular expression (" + e.getDescription() + ")");
    }
  }

  /** The rule's filters; {@code URLRewrite} and {@code RequestHeaderModifier} are supported. */
  static List<RouteFilter> filters(@Nullable List<HTTPRouteFilter> specs, List<RouteMatch> matches, String path) {
    List<RouteFilter> filters = new ArrayList<>();
    List<HTTPRouteFilter> list = specs == null ? List.of() : specs;
    for (int i = 0; i < list.size(); i++) {
      HTTPRouteFilter f = list.get(i);
      String at = path + ".filters[" + i + "]";
      String type = f.getType() == null ? "" : f.getType();
      switch (type) {
        case "URLRewrite" -> filters.add(RouteFilter.urlRewrite(urlRewrite(f.getUrlRewrite(), matches, at)));
        case "RequestHeaderModifier" -> filters.add(
            RouteFilter.requestHeaderModifier(headerModifier(f.getRequestHeaderModifier(), at)));
        default -> throw new InvalidRule(
            at + ".type: filter \"" + type + "\" is not supported by Tollway (supported: URLRewrite, "
                + "RequestHeaderModifier)");
      }
    }
    return filters;
  }

  private static RouteFilter.UrlRewrite urlRewrite(
      @Nullable HTTPURLRewriteFilter spec, List<RouteMatch> matches, String path) {
    if (spec == null) {
      throw new InvalidRule(path + ".urlRewrite: missing");
    }
    @Nullable String hostname = spec.getHostname() == null || spec.getHostname().isBlank() ? null : spec.getHostname();
    @Nullable PathModifier modifier = null;
    if (spec.getPath() != null) {
      String type = spec.getPath().getType() == null ? "" : spec.getPath().getType();
      String at = path + ".urlRewrite.path";
      if (type.equals("ReplaceFullPath")) {
        modifier = new PathModifier(PathModifier.Type.ReplaceFullPath, required(spec.getPath().getReplaceFullPath(),
            at + ".replaceFullPath"));
      } else if (type.equals("ReplacePrefixMatch")) {
        boolean allPrefixes = matches.stream().allMatch(m -> m.path().type() == PathMatch.Type.PathPrefix);
        if (!allPrefixes) {
          throw new InvalidRule(at + ": ReplacePrefixMatch needs every match of the rule to be a PathPrefix match");
        }
        modifier = new PathModifier(PathModifier.Type.ReplacePrefixMatch, required(
            spec.getPath().getReplacePrefixMatch(), at + ".replacePrefixMatch"));
      } else {
        throw new InvalidRule(at + ".type: \"" + type + "\" (expected: ReplaceFullPath or ReplacePrefixMatch)");
      }
    }
    return new RouteFilter.UrlRewrite(hostname, modifier);
  }

  private static HeaderModifier headerModifier(@Nullable HTTPHeaderFilter spec, String path) {
    if (spec == null) {
      throw new InvalidRule(path + ".requestHeaderModifier: missing");
    }
    return new HeaderModifier(
        headers(spec.getSet(), path + ".requestHeaderModifier.set"),
        headers(spec.getAdd(), path + ".requestHeaderModifier.add"),
        spec.getRemove() == null ? List.of() : spec.getRemove());
  }

  private static List<Header> headers(@Nullable List<HTTPHeader> specs, String path) {
    List<Header> headers = new ArrayList<>();
    List<HTTPHeader> list = specs == null ? List.of() : specs;
    for (int i = 0; i < list.size(); i++) {
      HTTPHeader h = list.get(i);
      headers.add(new Header(required(h.getName(), path + "[" + i + "].name"),
          required(h.getValue(), path + "[" + i + "].value")));
    }
    return headers;
  }

  /** {@code timeouts.request} and {@code timeouts.backendRequest}; zero means no timeout. */
  static @Nullable RouteTimeouts timeouts(@Nullable HTTPRouteTimeouts spec, String path) {
    if (spec == null || (spec.getRequest() == null && spec.getBackendRequest() == null)) {
      return null;
    }
    @Nullable Long request = duration(spec.getRequest(), path + ".timeouts.request");
    @Nullable Long backend = duration(spec.getBackendRequest(), path + ".timeouts.backendRequest");
    if (request != null && backend != null && request != 0 && (backend == 0 || backend > request)) {
      throw new InvalidRule(path + ".timeouts.backendRequest: must not be longer than timeouts.request");
    }
    return new RouteTimeouts(request, backend);
  }

  private static @Nullable Long duration(@Nullable String value, String path) {
    if (value == null) {
      return null;
    }
    try {
      return GatewayDurations.toMillis(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidRule(path + ": " + e.getMessage());
    }
  }

  private static String required(@Nullable String value, String path) {
    if (value == null) {
      throw new InvalidRule(path + ": missing");
    }
    return value;
  }

  /** A rule field is invalid or not supported; the message starts with the field's path. */
  static final class InvalidRule extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidRule(String message) {
      super(message, null, false, false);
    }
  }
}
