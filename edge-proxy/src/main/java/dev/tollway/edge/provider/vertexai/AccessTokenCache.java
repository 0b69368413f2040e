package dev.tollway.edge.provider.vertexai;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access tokens per credential, fetched and refreshed on a small background executor so that
 * {@link #token(String)} never blocks its caller (an IO thread):
 *
 * <ul>
 *   <li>a valid token more than {@link #REFRESH_AHEAD} from its expiry is returned at once;
 *   <li>closer to its expiry it is still returned at once, and one refresh starts in the background, so a
 *       busy credential never waits;
 *   <li>without a valid token the stage completes when the one refresh in flight finishes (concurrent
 *       callers share it);
 *   <li>a refresh that fails completes the waiting stages with {@code UPSTREAM_UNAUTHORIZED} (or the
 *       fetcher's own {@link GatewayException}) naming the problem, never the credential; for
 *       {@link #FAILURE_BACKOFF} after a failure, callers without a valid token get that failure at once
 *       instead of a new attempt each.
 * </ul>
 *
 * Stages complete on the executor's thread when they had to wait. Credentials are keyed by their SHA-256,
 * so the map holds no secret as a key; entries whose token has expired are dropped when the cache grows past
 * {@link #MAX_ENTRIES}.
 */
public final class AccessTokenCache {

  /** How long before its expiry a token is refreshed in the background. */
  public static final Duration REFRESH_AHEAD = Duration.ofMinutes(5);

  /** How long a failed refresh is answered from memory before the next attempt. */
  public static final Duration FAILURE_BACKOFF = Duration.ofSeconds(10);

  static final int MAX_ENTRIES = 256;

  private static final Logger LOG = LoggerFactory.getLogger(AccessTokenCache.class);

  private final TokenFetcher fetcher;
  private final Executor executor;
  private final Clock clock;
  private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

  /**
   * @param fetcher gets new tokens; blocking, run on {@code executor}
   * @param executor where fetches run (never an IO thread)
   * @param clock decides validity and refresh times
   */
  public AccessTokenCache(TokenFetcher fetcher, Executor executor, Clock clock) {
    this.fetcher = requireNonNull(fetcher, "fetcher");
    this.executor = requireNonNull(executor, "executor");
    this.clock = requireNonNull(clock, "clock");
  }

  /**
   * Tokens for Google service accounts (scope {@code cloud-platform}) through Google's auth library, fetched
   * on a shared pool of at most two daemon threads.
   */
  public static AccessTokenCache serviceAccounts(Clock clock) {
    return new AccessTokenCache(new ServiceAccountTokens(), Background.EXECUTOR, clock);
  }

  /**
   * A valid access token for the credential.
   *
   * @param credential the service-account JSON key file's content
   */
  public CompletionStage<String> token(String credential) {
    requireNonNull(credential, "credential");
    String key = key(credential);
    Entry entry = entries.get(key);
    if (entry == null) {
      if (entries.size() >= MAX_ENTRIES) {
        Instant now = clock.instant();
        entries.values().removeIf(e -> e.idle(now));
      }
      entry = entries.computeIfAbsent(key, k -> new Entry(k.substring(0, 12)));
    }
    return entry.token(credential);
  }

  /** How many credentials the cache holds (for tests and metrics). */
  int size() {
    return entries.size();
  }

  private static String key(String credential) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The token state of one credential. All fields are guarded by the entry's lock; no I/O under it. */
  private final class Entry {

    private final String id;
    private @Nullable AccessToken current;
    private @Nullable CompletableFuture<AccessToken> refreshing;
    private @Nullable GatewayException failure;
    private Instant failedAt = Instant.MIN;

    Entry(String id) {
      this.id = id;
    }

    CompletionStage<String> token(String credential) {
      CompletableFuture<AccessToken> waitFor;
      synchronized (this) {
        Instant now = clock.instant();
        AccessToken token = current;
        if (token != null && now.isBefore(token.expiresAt())) {
          if (!now.isBefore(token.expiresAt().minus(REFRESH_AHEAD)) && !backingOff(now)) {
            refresh(credential);
          }
          return CompletableFuture.completedFuture(token.value());
        }
        if (refreshing == null && failure != null && backingOff(now)) {
          return CompletableFuture.failedFuture(failure);
        }
        waitFor = refresh(credential);
      }
      return waitFor.thenApply(AccessToken::value);
    }

    synchronized boolean idle(Instant now) {
      return refreshing == null && (current == null || !now.isBefore(current.expiresAt()));
    }

    private boolean backingOff(Instant now) {
      return failure != null && now.isBefore(failedAt.plus(FAILURE_BACKOFF));
    }

    /** The refresh in flight, or a new one. Called with the lock held; only schedules work. */
    private CompletableFuture<AccessToken> refresh(String credential) {
      CompletableFuture<AccessToken> inFlight = refreshing;
      if (inFlight != null) {
        return inFlight;
      }
      CompletableFuture<AccessToken> future = new CompletableFuture<>();
      refreshing = future;
      try {
        executor.execute(() -> fetch(credential, future));
      } catch (RejectedExecutionException e) {
        refreshing = null;
        future.completeExceptionally(
            new GatewayException(ErrorReason.UPSTREAM_UNAUTHORIZED, "vertexai: no thread is free to fetch an access token"));
      }
      return future;
    }

    /** Runs on the executor: the blocking fetch, then the new state, then the waiters. */
    private void fetch(String credential, CompletableFuture<AccessToken> future) {
      AccessToken token = null;
      GatewayException error = null;
      try {
        token = fetcher.fetch(credential);
        if (token == null) {
          error = refused("the token endpoint answered without a token");
        } else if (!clock.instant().isBefore(token.expiresAt())) {
          error = refused("the token endpoint answered with a token that has already expired");
          token = null;
        }
      } catch (GatewayException e) {
        error = e;
      } catch (Exception e) {
        error = refused(describe(e));
      }
      synchronized (this) {
        refreshing = null;
        if (token != null) {
          current = token;
          failure = null;
        } else {
          failure = error;
          failedAt = clock.instant();
        }
      }
      if (token != null) {
        LOG.info("access token fetched provider=vertexai credential={} expiresAt={}", id, token.expiresAt());
        future.complete(token);
      } else {
        LOG.warn("access token fetch failed provider=vertexai credential={} reason={}", id, error.getMessage());
        future.completeExceptionally(error);
      }
    }
  }

  private static GatewayException refused(String problem) {
    return new GatewayException(
        ErrorReason.UPSTREAM_UNAUTHORIZED, "vertexai: could not get an access token for the service account: " + problem);
  }

  /**
   * The exception's kind and message on one line, clipped: Google's messages name the endpoint, the status
   * and the OAuth error ({@code invalid_grant}), not the key.
   */
  private static String describe(Exception e) {
    String message = e.getMessage() == null ? "" : e.getMessage().strip().replaceAll("\\s+", " ");
    if (message.length() > 300) {
      message = message.substring(0, 300) + "...";
    }
    return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }

  /** The shared fetch pool of {@link #serviceAccounts(Clock)}, created on first use. */
  private static final class Background {
    static final Executor EXECUTOR = create();

    private static Executor create() {
      AtomicInteger count = new AtomicInteger();
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(
              2,
              2,
              60,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(1024),
              task -> {
                Thread thread = new Thread(task, "tollway-vertexai-token-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
      pool.allowCoreThreadTimeOut(true);
      return pool;
    }
  }
}
