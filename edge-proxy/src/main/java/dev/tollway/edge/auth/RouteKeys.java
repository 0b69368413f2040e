package dev.tollway.edge.auth;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.snapshot.ApiKeySet.ClientApiKey;
import dev.tollway.schemas.snapshot.RoutePolicy.ApiKeyAuth.Mode;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The client API keys one route accepts and whether one is required. A presented key is digested with the
 * snapshot key's digest function and looked up by digest; the stored digest is then compared with the
 * presented one in constant time. (The lookup itself compares keyed digests, which a caller cannot compute
 * without the snapshot key, so its timing tells nothing about any key.)
 */
public final class RouteKeys {

  private static final RouteKeys NONE = new RouteKeys(null, Map.of());

  private final @Nullable Mode mode;
  private final Map<String, ClientApiKey> byDigest;

  RouteKeys(@Nullable Mode mode, Map<String, ClientApiKey> byDigest) {
    this.mode = mode;
    this.byDigest = Map.copyOf(byDigest);
  }

  /** A route without API key authentication. */
  public static RouteKeys none() {
    return NONE;
  }

  /** Whether the route checks API keys at all. */
  public boolean enabled() {
    return mode != null;
  }

  @Nullable Mode mode() {
    return mode;
  }

  Map<String, ClientApiKey> keys() {
    return byDigest;
  }

  /** The keys the route accepts. */
  public Collection<ClientApiKey> accepted() {
    return byDigest.values();
  }

  /**
   * Checks the key a request presents.
   *
   * @param presented the key from {@code Authorization: Bearer}, {@code x-api-key}, {@code x-goog-api-key} or
   *     {@code ?key=}, or null when the request carries none
   * @param digest the snapshot key's digest function ({@code SnapshotCipher::digest})
   */
  public Verdict check(@Nullable String presented, UnaryOperator<String> digest) {
    requireNonNull(digest, "digest");
    if (mode == null) {
      return Verdict.ANONYMOUS;
    }
    if (presented == null || presented.isEmpty()) {
      return mode == Mode.Optional ? Verdict.ANONYMOUS
          : new Verdict.Refused(
              "an API key is required (Authorization: Bearer, x-api-key, x-goog-api-key or the key query parameter)");
    }
    String presentedDigest = digest.apply(presented);
    ClientApiKey key = byDigest.get(presentedDigest);
    if (key == null
        || !MessageDigest.isEqual(key.digest().getBytes(US_ASCII), presentedDigest.getBytes(US_ASCII))) {
      return new Verdict.Refused("the API key is not valid");
    }
    return new Verdict.Authenticated(key);
  }

  /** The outcome of a check. */
  public sealed interface Verdict {

    /** No key was needed, and none or one was presented without consequence. */
    Verdict ANONYMOUS = new Anonymous();

    /** The request goes on without a caller identity. */
    record Anonymous() implements Verdict {}

    /** The request carries a valid key. */
    record Authenticated(ClientApiKey key) implements Verdict {
      public Authenticated {
        requireNonNull(key, "key");
      }
    }

    /** The request must be answered 401; the message is for the caller and never repeats the key. */
    record Refused(String message) implements Verdict {
      public Refused {
        requireNonNull(message, "message");
      }
    }
  }
}
