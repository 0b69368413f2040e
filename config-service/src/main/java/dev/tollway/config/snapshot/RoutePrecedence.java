package dev.tollway.config.snapshot;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.snapshot.RouteEntry;
import dev.tollway.schemas.snapshot.RouteMatch.PathMatch;
import java.time.Instant;
import java.util.Comparator;
import org.jspecify.annotations.Nullable;

/**
 * Gateway API precedence among the route entries of one Gateway, most specific first: hostname (exact, then
 * the longest wildcard, then any), then path ({@code Exact}, then {@code RegularExpression}, then
 * {@code PathPrefix}; longer first), then a method match, then more header matches, then more query matches,
 * then the oldest route (a route without {@code creationTimestamp} sorts after those with one, and equal to
 * others without), then {@code namespace/name}, then rule and match index.
 */
final class RoutePrecedence {

  static final Comparator<Candidate> ORDER =
      Comparator.comparing(Candidate::hostname, Hostnames.MOST_SPECIFIC_FIRST)
          .thenComparingInt(c -> pathRank(c.entry().match().path().type()))
          .thenComparing(Comparator.comparingInt((Candidate c) -> c.entry().match().path().value().length()).reversed())
          .thenComparingInt(c -> c.entry().match().method() == null ? 1 : 0)
          .thenComparing(Comparator.comparingInt((Candidate c) -> c.entry().match().headers().size()).reversed())
          .thenComparing(Comparator.comparingInt((Candidate c) -> c.entry().match().queryParams().size()).reversed())
          .thenComparing(Candidate::created, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(c -> c.entry().route())
          .thenComparingInt(c -> c.entry().rule())
          .thenComparingInt(Candidate::match);

  private RoutePrecedence() {}

  private static int pathRank(PathMatch.Type type) {
    return switch (type) {
      case Exact -> 0;
      case RegularExpression -> 1;
      case PathPrefix -> 2;
    };
  }

  /**
   * An entry with what orders it.
   *
   * @param entry the entry
   * @param hostname the one hostname of the entry, empty for any
   * @param created the route's creation time, if known
   * @param match the index of the match within its rule
   */
  record Candidate(RouteEntry entry, String hostname, @Nullable Instant created, int match) {
    Candidate {
      requireNonNull(entry, "entry");
      requireNonNull(hostname, "hostname");
    }
  }
}
