package dev.tollway.edge.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.edge.ratelimit.RateLimiter.Admission;
import dev.tollway.edge.testing.MutableClock;
import dev.tollway.schemas.snapshot.RoutePolicy.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Token buckets and the limiter, on a clock the test moves. */
class RateLimiterTest {

  private static final Instant NOW = Instant.parse("2026-11-26T17:00:00Z");
  private static final RateLimit FIVE_A_SECOND_BURST_5 =
      new RateLimit("default/p#0", RateLimit.Kind.requests, 5, RateLimit.Unit.Seconds, 5);
  private static final RateLimit HUNDRED_TOKENS_A_MINUTE =
      new RateLimit("default/p#1", RateLimit.Kind.tokens, 100, RateLimit.Unit.Minutes, 0);

  private final MutableClock clock = new MutableClock(NOW);
  private final RateLimiter limiter = new RateLimiter(clock);

  private int admitted(RateLimit limit, String subject, int requests) {
    int admitted = 0;
    for (int i = 0; i < requests; i++) {
      if (limiter.admit(List.of(limit), subject).admitted()) {
        admitted++;
      }
    }
    return admitted;
  }

  @Test
  void shouldStartFullWithLimitPlusBurstAndRefillTheLimitAtEachIntervalUpToTheCapacity() {
    // When 20 requests arrive at once, then 20 more each after 1 s, 1.5 s more and 10 s more
    int atOnce = admitted(FIVE_A_SECOND_BURST_5, "k", 20);
    clock.advance(Duration.ofSeconds(1));
    int afterOneSecond = admitted(FIVE_A_SECOND_BURST_5, "k", 20);
    clock.advance(Duration.ofMillis(500));
    int halfASecondLater = admitted(FIVE_A_SECOND_BURST_5, "k", 20);
    clock.advance(Duration.ofMillis(500));
    int atTheNextRefill = admitted(FIVE_A_SECOND_BURST_5, "k", 20);
    clock.advance(Duration.ofSeconds(10));
    int afterALongPause = admitted(FIVE_A_SECOND_BURST_5, "k", 20);

    // Then
    assertThat(atOnce).isEqualTo(10);
    assertThat(afterOneSecond).isEqualTo(5);
    assertThat(halfASecondLater).isZero();
    assertThat(atTheNextRefill).isEqualTo(5);
    assertThat(afterALongPause).isEqualTo(10);
  }

  @Test
  void shouldSayWhenTheNextRefillComes() {
    // Given a drained bucket, 300 ms into its interval
    admitted(FIVE_A_SECOND_BURST_5, "k", 10);
    clock.advance(Duration.ofMillis(300));

    // When
    Admission refused = limiter.admit(List.of(FIVE_A_SECOND_BURST_5), "k");

    // Then
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.capacity()).isEqualTo(10);
    assertThat(refused.remaining()).isZero();
    assertThat(refused.reset()).isEqualTo(Duration.ofMillis(700));
    assertThat(refused.resetSeconds()).isEqualTo(1);
  }

  @Test
  void shouldAdmitATokensLimitWhileOneTokenIsLeftAndDebitWithoutGoingBelowZero() {
    // Given
    assertThat(limiter.admit(List.of(HUNDRED_TOKENS_A_MINUTE), "k").remaining()).isEqualTo(100);

    // When an answer used 99 tokens, then one used 500
    limiter.debitTokens(List.of(HUNDRED_TOKENS_A_MINUTE), "k", 99);
    Admission oneLeft = limiter.admit(List.of(HUNDRED_TOKENS_A_MINUTE), "k");
    limiter.debitTokens(List.of(HUNDRED_TOKENS_A_MINUTE), "k", 500);
    Admission none = limiter.admit(List.of(HUNDRED_TOKENS_A_MINUTE), "k");

    // Then
    assertThat(oneLeft.admitted()).isTrue();
    assertThat(oneLeft.remaining()).isEqualTo(1);
    assertThat(none.admitted()).isFalse();
    clock.advance(Duration.ofMinutes(1));
    assertThat(limiter.admit(List.of(HUNDRED_TOKENS_A_MINUTE), "k").remaining()).isEqualTo(100);
  }

  @Test
  void shouldNeverDebitARequestsLimitWithTokens() {
    // When
    limiter.debitTokens(List.of(FIVE_A_SECOND_BURST_5), "k", 1_000);

    // Then
    assertThat(limiter.admit(List.of(FIVE_A_SECOND_BURST_5), "k").remaining()).isEqualTo(9);
  }

  @Test
  void shouldAdmitExactlyTheCapacityUnderConcurrency() throws Exception {
    // Given 1000 requests a minute and 8 threads racing for 4000 admissions
    RateLimit limit = new RateLimit("default/p#0", RateLimit.Kind.requests, 1_000, RateLimit.Unit.Minutes, 0);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicInteger admitted = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);

    // When
    for (int t = 0; t < 8; t++) {
      pool.submit(() -> {
        start.await();
        for (int i = 0; i < 500; i++) {
          if (limiter.admit(List.of(limit), "k").admitted()) {
            admitted.incrementAndGet();
          }
        }
        return null;
      });
    }
    start.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

    // Then no token was lost or given twice
    assertThat(admitted.get()).isEqualTo(1_000);
  }

  @Test
  void shouldForgetBucketsOfRemovedLimitsAndKeysAndFullBucketsOfAnyone() {
    // Given buckets of a key, an address and a limit that goes away
    limiter.admit(List.of(FIVE_A_SECOND_BURST_5), "default/keys/alice");
    limiter.admit(List.of(FIVE_A_SECOND_BURST_5), "default/keys/bob");
    limiter.admit(List.of(FIVE_A_SECOND_BURST_5), "10.0.0.7");
    limiter.admit(List.of(HUNDRED_TOKENS_A_MINUTE), "default/keys/alice");
    assertThat(limiter.size()).isEqualTo(4);

    // When the limit HUNDRED_TOKENS_A_MINUTE and bob's key leave the configuration
    limiter.retain(Set.of(FIVE_A_SECOND_BURST_5), Set.of("default/keys/alice"));

    // Then alice's and the address's buckets stay
    assertThat(limiter.size()).isEqualTo(2);
    assertThat(limiter.admit(List.of(FIVE_A_SECOND_BURST_5), "default/keys/alice").remaining()).isEqualTo(8);

    // When a second passes, both are full again and a sweep forgets them
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.sweep()).isEqualTo(2);
    assertThat(limiter.size()).isZero();
  }

  @Test
  void shouldNotRefillWhenTheClockGoesBackwards() {
    // Given a drained bucket
    admitted(FIVE_A_SECOND_BURST_5, "k", 10);

    // When the clock jumps back an hour
    clock.advance(Duration.ofHours(-1));

    // Then nothing is refilled
    assertThat(limiter.admit(List.of(FIVE_A_SECOND_BURST_5), "k").admitted()).isFalse();
  }
}
