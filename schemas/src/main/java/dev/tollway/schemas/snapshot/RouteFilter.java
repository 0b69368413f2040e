package dev.tollway.schemas.snapshot;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A Gateway API HTTPRoute filter. Exactly the field that belongs to {@link #type()} is set.
 *
 * @param type the filter type
 * @param urlRewrite set for {@link Type#URLRewrite}
 * @param requestHeaderModifier set for {@link Type#RequestHeaderModifier}
 */
public record RouteFilter(
    Type type, @Nullable UrlRewrite urlRewrite, @Nullable HeaderModifier requestHeaderModifier) {

  public RouteFilter {
    requireNonNull(type, "type");
  }

  public static RouteFilter urlRewrite(UrlRewrite rewrite) {
    return new RouteFilter(Type.URLRewrite, rewrite, null);
  }

  public static RouteFilter requestHeaderModifier(HeaderModifier modifier) {
    return new RouteFilter(Type.RequestHeaderModifier, null, modifier);
  }

  /** The filter types the proxy implements. */
  public enum Type {
    URLRewrite,
    RequestHeaderModifier
  }

  /**
   * Rewrites the host and/or the path of a request.
   *
   * @param hostname replaces the {@code Host} header, if set
   * @param path rewrites the path, if set
   */
  public record UrlRewrite(@Nullable String hostname, @Nullable PathModifier path) {}

  /**
   * A path rewrite.
   *
   * @param type {@code ReplaceFullPath} or {@code ReplacePrefixMatch}
   * @param value the full path, or the replacement for the matched prefix
   */
  public record PathModifier(Type type, String value) {
    public PathModifier {
      requireNonNull(type, "type");
      requireNonNull(value, "value");
    }

    /** The Gateway API path modifier types. */
    public enum Type {
      ReplaceFullPath,
      ReplacePrefixMatch
    }
  }

  /**
   * Adds, sets or removes request headers.
   *
   * @param set headers to set, replacing existing values
   * @param add headers to add to existing values
   * @param remove header names to remove
   */
  public record HeaderModifier(List<Header> set, List<Header> add, List<String> remove) {
    public HeaderModifier {
      set = List.copyOf(set);
      add = List.copyOf(add);
      remove = List.copyOf(remove);
    }
  }

  /** A header name and value. */
  public record Header(String name, String value) {
    public Header {
      requireNonNull(name, "name");
      requireNonNull(value, "value");
    }
  }
}
