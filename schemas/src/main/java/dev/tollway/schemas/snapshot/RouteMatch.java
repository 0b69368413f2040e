package dev.tollway.schemas.snapshot;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The Gateway API match of a route rule. All given conditions must hold.
 *
 * @param path the path match
 * @param headers header matches
 * @param queryParams query parameter matches
 * @param method the HTTP method, if the match restricts it
 */
public record RouteMatch(
    PathMatch path, List<ValueMatch> headers, List<ValueMatch> queryParams, @Nullable String method) {

  public RouteMatch {
    requireNonNull(path, "path");
    headers = List.copyOf(headers);
    queryParams = List.copyOf(queryParams);
  }

  /** Matches every request: {@code PathPrefix /}. */
  public static RouteMatch any() {
    return new RouteMatch(new PathMatch(PathMatch.Type.PathPrefix, "/"), List.of(), List.of(), null);
  }

  /**
   * A path match.
   *
   * @param type how {@link #value()} is compared to the request path
   * @param value the path, or a regular expression for {@link Type#RegularExpression}
   */
  public record PathMatch(Type type, String value) {
    public PathMatch {
      requireNonNull(type, "type");
      requireNonNull(value, "value");
    }

    /** The Gateway API path match types. */
    public enum Type {
      Exact,
      PathPrefix,
      RegularExpression
    }
  }

  /**
   * A header or query parameter match.
   *
   * @param type {@code Exact} or {@code RegularExpression}
   * @param name the header (case-insensitive) or parameter name
   * @param value the expected value, or a regular expression
   */
  public record ValueMatch(Type type, String name, String value) {
    public ValueMatch {
      requireNonNull(type, "type");
      requireNonNull(name, "name");
      requireNonNull(value, "value");
    }

    /** The Gateway API value match types. */
    public enum Type {
      Exact,
      RegularExpression
    }
  }
}
