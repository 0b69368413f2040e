package dev.tollway.edge.provider.vertexai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.testing.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The token cache with a fetcher that counts its calls, an executor that runs only when told (so nothing
 * runs on the caller's thread unnoticed) and a clock moved by hand. No network.
 */
class AccessTokenCacheTest {

  private static final String KEY_A = "{\"type\":\"service_account\",\"client_email\":\"a@p.iam.gserviceaccount.com\",\"private_key\":\"secret-a\"}";
  private static final String KEY_B = "{\"type\":\"service_account\",\"client_email\":\"b@p.iam.gserviceaccount.com\",\"private_key\":\"secret-b\"}";
  private static final Duration LIFETIME = Duration.ofHours(1);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T12:00:00Z"));
  private final ManualExecutor executor = new ManualExecutor();
  private final List<String> fetches = new ArrayList<>();
  private final Deque<Object> answers = new ArrayDeque<>();
  private final AccessTokenCache cache = new AccessTokenCache(this::fetch, executor, clock);

  private AccessToken fetch(String credential) throws IOException {
    fetches.add(credential);
    Object answer = answers.isEmpty() ? "ya29.token-" + fetches.size() : answers.removeFirst();
    if (answer instanceof IOException e) {
      throw e;
    }
    if (answer instanceof RuntimeException e) {
      throw e;
    }
    if (answer instanceof AccessToken token) {
      return token;
    }
    return new AccessToken((String) answer, clock.instant().plus(LIFETIME));
  }

  @Test
  void shouldFetchOnTheExecutorNeverOnTheCallersThread() {
    // When a token is asked for the first time
    CompletableFuture<String> token = cache.token(KEY_A).toCompletableFuture();

    // Then the caller gets a stage at once, and nothing was fetched on its thread
    assertThat(token).isNotDone();
    assertThat(fetches).isEmpty();

    // And the stage completes when the executor has fetched
    executor.runAll();
    assertThat(token).isCompletedWithValue("ya29.token-1");
  }

  @Test
  void shouldShareOneFetchBetweenConcurrentCallers() {
    CompletableFuture<String> first = cache.token(KEY_A).toCompletableFuture();
    CompletableFuture<String> second = cache.token(KEY_A).toCompletableFuture();

    executor.runAll();

    assertThat(fetches).hasSize(1);
    assertThat(first).isCompletedWithValue("ya29.token-1");
    assertThat(second).isCompletedWithValue("ya29.token-1");
  }

  @Test
  void shouldAnswerFromTheCacheAtOnceWhileTheTokenIsFarFromItsExpiry() {
    cache.token(KEY_A);
    executor.runAll();
    clock.advance(LIFETIME.minus(AccessTokenCache.REFRESH_AHEAD).minusSeconds(1));

    CompletableFuture<String> token = cache.token(KEY_A).toCompletableFuture();

    assertThat(token).isCompletedWithValue("ya29.token-1");
    assertThat(executor.pending()).isZero();
    assertThat(fetches).hasSize(1);
  }

  @Test
  void shouldRefreshInTheBackgroundBeforeExpiryWhileStillAnsweringWithTheCurrentToken() {
    // Given a token four minutes from its expiry
    cache.token(KEY_A);
    executor.runAll();
    clock.advance(LIFETIME.minusMinutes(4));

    // When asked twice
    CompletableFuture<String> first = cache.token(KEY_A).toCompletableFuture();
    CompletableFuture<String> second = cache.token(KEY_A).toCompletableFuture();

    // Then both get the current token at once, and exactly one refresh is scheduled
    assertThat(first).isCompletedWithValue("ya29.token-1");
    assertThat(second).isCompletedWithValue("ya29.token-1");
    assertThat(executor.pending()).isEqualTo(1);

    // And once it ran, the new token is used
    executor.runAll();
    assertThat(cache.token(KEY_A).toCompletableFuture()).isCompletedWithValue("ya29.token-2");
  }

  @Test
  void shouldWaitForANewTokenOnceTheCachedOneExpired() {
    cache.token(KEY_A);
    executor.runAll();
    clock.advance(LIFETIME);

    CompletableFuture<String> token = cache.token(KEY_A).toCompletableFuture();

    assertThat(token).isNotDone();
    executor.runAll();
    assertThat(token).isCompletedWithValue("ya29.token-2");
  }

  @Test
  void shouldKeepOneTokenPerCredential() {
    CompletableFuture<String> a = cache.token(KEY_A).toCompletableFuture();
    CompletableFuture<String> b = cache.token(KEY_B).toCompletableFuture();
    executor.runAll();

    assertThat(a).isCompletedWithValue("ya29.token-1");
    assertThat(b).isCompletedWithValue("ya29.token-2");
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void shouldFailWithUpstreamUnauthorizedNamingTheProblemButNeverTheKey() {
    // Given a token endpoint that refuses the key
    answers.add(new IOException("Error getting access token for service account: 400 Bad Request\nPOST https://oauth2.googleapis.com/token\n"
        + "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}"));

    // When a token is asked for
    CompletableFuture<String> token = cache.token(KEY_A).toCompletableFuture();
    executor.runAll();

    // Then the stage fails with a gateway error that says why, on one line, without the key
    assertThatThrownBy(token::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.reason()).isEqualTo(ErrorReason.UPSTREAM_UNAUTHORIZED);
          assertThat(e.getMessage())
              .startsWith("vertexai: could not get an access token for the service account: IOException: Error getting access token")
              .contains("invalid_grant")
              .doesNotContain("\n")
              .doesNotContain("secret-a");
        });
  }

  @Test
  void shouldAnswerAFailureFromMemoryDuringTheBackoffThenTryAgain() {
    answers.add(new IOException("connect timed out"));
    cache.token(KEY_A);
    executor.runAll();

    // Within the backoff: failed at once, no new fetch
    CompletableFuture<String> during = cache.token(KEY_A).toCompletableFuture();
    assertThat(during).isCompletedExceptionally();
    assertThat(executor.pending()).isZero();

    // After it: a new fetch, which succeeds
    clock.advance(AccessTokenCache.FAILURE_BACKOFF);
    CompletableFuture<String> after = cache.token(KEY_A).toCompletableFuture();
    executor.runAll();
    assertThat(after).isCompletedWithValue("ya29.token-2");
    assertThat(fetches).hasSize(2);
  }

  @Test
  void shouldKeepUsingAValidTokenWhenABackgroundRefreshFails() {
    cache.token(KEY_A);
    executor.runAll();
    clock.advance(LIFETIME.minusMinutes(2));
    answers.add(new IOException("connect timed out"));

    cache.token(KEY_A);
    executor.runAll();

    assertThat(cache.token(KEY_A).toCompletableFuture()).isCompletedWithValue("ya29.token-1");
    assertThat(executor.pending()).as("no new attempt during the backoff").isZero();
  }

  @Test
  void shouldPassOnTheFetchersOwnGatewayError() {
    answers.add(new GatewayException(ErrorReason.BACKEND_UNAVAILABLE, "vertexai: the service-account credential is not usable: x"));

    CompletableFuture<String> token = cache.token(KEY_A).toCompletableFuture();
    executor.runAll();

    assertThatThrownBy(token::join).cause()
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.BACKEND_UNAVAILABLE));
  }

  @Test
  void shouldRefuseATokenThatHasAlreadyExpired() {
    answers.add(new AccessToken("ya29.stale", clock.instant().minusSeconds(1)));

    CompletableFuture<String> token = cache.token(KEY_A).toCompletableFuture();
    executor.runAll();

    assertThatThrownBy(token::join).cause()
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.reason()).isEqualTo(ErrorReason.UPSTREAM_UNAUTHORIZED);
          assertThat(e.getMessage()).endsWith("the token endpoint answered with a token that has already expired");
        });
  }

  @Test
  void shouldFailWhenNoThreadIsFreeToFetch() {
    AccessTokenCache full = new AccessTokenCache(this::fetch, task -> {
      throw new RejectedExecutionException("full");
    }, clock);

    CompletableFuture<String> token = full.token(KEY_A).toCompletableFuture();

    assertThatThrownBy(token::join).cause()
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.UPSTREAM_UNAUTHORIZED));
    assertThat(fetches).isEmpty();
  }

  @Test
  void shouldDropExpiredCredentialsWhenTheCacheIsFull() {
    for (int i = 0; i < AccessTokenCache.MAX_ENTRIES; i++) {
      cache.token("{\"n\":" + i + "}");
    }
    executor.runAll();
    clock.advance(LIFETIME);

    cache.token(KEY_A);

    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void shouldRedactTokensWhenPrinted() {
    assertThat(new AccessToken("ya29.secret", Instant.EPOCH).toString()).doesNotContain("ya29.secret");
  }

  /** Runs tasks only when told. */
  private static final class ManualExecutor implements Executor {
    private final Deque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    int pending() {
      return tasks.size();
    }

    void runAll() {
      while (!tasks.isEmpty()) {
        tasks.removeFirst().run();
      }
    }
  }
}
