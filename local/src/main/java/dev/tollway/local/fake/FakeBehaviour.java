package dev.tollway.local.fake;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How a fake provider treats a request: answer normally, or fail in a chosen way. Set per request with headers
 * ({@code x-fake-status}, {@code x-fake-retry-after}, {@code x-fake-cut-stream}, {@code x-fake-delay-ms},
 * {@code x-fake-chunk-delay-ms}, {@code x-fake-reset}) or on the server for the next requests
 * ({@link FakeProviderServer#enqueue(FakeBehaviour)}, {@link FakeProviderServer#setDefaultBehaviour}); a header
 * overrides the server's setting for that request.
 *
 * @param status answer with this status (400-599) in the provider's error shape instead of answering
 * @param retryAfterSeconds the {@code Retry-After} header of that error
 * @param cutStreamAfterEvents close the connection abruptly after this many events of a stream
 * @param firstByteDelay wait this long before the first byte of the response
 * @param chunkDelay wait this long between the events of a stream; {@code null} for the server's default
 * @param reset close the connection without answering
 */
public record FakeBehaviour(
    @Nullable Integer status,
    @Nullable Integer retryAfterSeconds,
    @Nullable Integer cutStreamAfterEvents,
    Duration firstByteDelay,
    @Nullable Duration chunkDelay,
    boolean reset) {

  /** Answer normally. */
  public static final FakeBehaviour NORMAL = new FakeBehaviour(null, null, null, Duration.ZERO, null, false);

  public FakeBehaviour {
    requireNonNull(firstByteDelay, "firstByteDelay");
    if (status != null && (status < 400 || status > 599)) {
      throw new IllegalArgumentException("status: " + status + " (expected: an HTTP error status 400-599)");
    }
    if (retryAfterSeconds != null && retryAfterSeconds < 0) {
      throw new IllegalArgumentException("retry after: " + retryAfterSeconds + " (expected: seconds, 0 or more)");
    }
    if (cutStreamAfterEvents != null && cutStreamAfterEvents < 0) {
      throw new IllegalArgumentException("cut stream after: " + cutStreamAfterEvents + " (expected: 0 or more events)");
    }
    if (firstByteDelay.isNegative()) {
      throw new IllegalArgumentException("first byte delay: " + firstByteDelay + " (expected: 0 or more)");
    }
    if (chunkDelay != null && chunkDelay.isNegative()) {
      throw new IllegalArgumentException("chunk delay: " + chunkDelay + " (expected: 0 or more)");
    }
  }

  /** Answer with this HTTP error status in the provider's error shape. */
  public static FakeBehaviour failWith(int status) {
    return NORMAL.withStatus(status);
  }

  /** Close the connection without answering. */
  public static FakeBehaviour resetConnection() {
    return new FakeBehaviour(null, null, null, Duration.ZERO, null, true);
  }

  public FakeBehaviour withStatus(int status) {
    return new FakeBehaviour(status, retryAfterSeconds, cutStreamAfterEvents, firstByteDelay, chunkDelay, reset);
  }

  public FakeBehaviour withRetryAfter(int seconds) {
    return new FakeBehaviour(status, seconds, cutStreamAfterEvents, firstByteDelay, chunkDelay, reset);
  }

  public FakeBehaviour withCutStreamAfter(int events) {
    return new FakeBehaviour(status, retryAfterSeconds, events, firstByteDelay, chunkDelay, reset);
  }

  public FakeBehaviour withFirstByteDelay(Duration delay) {
    return new FakeBehaviour(status, retryAfterSeconds, cutStreamAfterEvents, delay, chunkDelay, reset);
  }

  public FakeBehaviour withChunkDelay(Duration delay) {
    return new FakeBehaviour(status, retryAfterSeconds, cutStreamAfterEvents, firstByteDelay, delay, reset);
  }

  public FakeBehaviour withReset(boolean reset) {
    return new FakeBehaviour(status, retryAfterSeconds, cutStreamAfterEvents, firstByteDelay, chunkDelay, reset);
  }
}
