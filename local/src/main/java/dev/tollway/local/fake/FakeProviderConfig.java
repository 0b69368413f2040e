package dev.tollway.local.fake;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * How to run a {@link FakeProviderServer}.
 *
 * @param host the address to listen on
 * @param port the port; 0 picks a free one
 * @param chunkDelay the wait between the events of a stream, unless a request says otherwise
 * @param maxRecordedRequests how many requests to keep (the oldest go first); 0 records none, as a benchmark wants
 * @param clock the clock for the {@code created} timestamps
 */
public record FakeProviderConfig(String host, int port, Duration chunkDelay, int maxRecordedRequests, Clock clock) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_MAX_RECORDED = 10_000;

  public FakeProviderConfig {
    requireNonNull(host, "host");
    requireNonNull(chunkDelay, "chunkDelay");
    requireNonNull(clock, "clock");
    if (host.isBlank()) {
      throw new IllegalArgumentException("--host: blank (expected: an address to listen on)");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("--port: " + port + " (expected: 0 for a free port, or 1-65535)");
    }
    if (chunkDelay.isNegative()) {
      throw new IllegalArgumentException("--chunk-delay-ms: " + chunkDelay.toMillis() + " (expected: 0 or more)");
    }
    if (maxRecordedRequests < 0) {
      throw new IllegalArgumentException("--max-recorded: " + maxRecordedRequests + " (expected: 0 or more)");
    }
  }

  /** On 127.0.0.1, a free port, no delay between events, the last 10,000 requests recorded. */
  public static FakeProviderConfig defaults() {
    return new FakeProviderConfig(DEFAULT_HOST, 0, Duration.ZERO, DEFAULT_MAX_RECORDED, Clock.systemUTC());
  }

  /**
   * From command-line options: {@code --port N}, {@code --host H}, {@code --chunk-delay-ms N},
   * {@code --max-recorded N}.
   *
   * @throws IllegalArgumentException naming the option and what was expected
   */
  public static FakeProviderConfig fromArgs(List<String> args) {
    requireNonNull(args, "args");
    FakeProviderConfig config = defaults();
    for (int i = 0; i < args.size(); i++) {
      String option = args.get(i);
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException(option + ": missing value (expected: " + expected(option) + ")");
      }
      String value = args.get(++i);
      config = switch (option) {
        case "--port" -> config.withPort(integer(option, value));
        case "--host" -> new FakeProviderConfig(value, config.port, config.chunkDelay, config.maxRecordedRequests,
            config.clock);
        case "--chunk-delay-ms" -> config.withChunkDelay(Duration.ofMillis(integer(option, value)));
        case "--max-recorded" -> config.withMaxRecordedRequests(integer(option, value));
        default -> throw new IllegalArgumentException(
            option + ": unknown option (expected: --port, --host, --chunk-delay-ms or --max-recorded)");
      };
    }
    return config;
  }

  public FakeProviderConfig withPort(int port) {
    return new FakeProviderConfig(host, port, chunkDelay, maxRecordedRequests, clock);
  }

  public FakeProviderConfig withChunkDelay(Duration delay) {
    return new FakeProviderConfig(host, port, delay, maxRecordedRequests, clock);
  }

  public FakeProviderConfig withMaxRecordedRequests(int max) {
    return new FakeProviderConfig(host, port, chunkDelay, max, clock);
  }

  public FakeProviderConfig withClock(Clock clock) {
    return new FakeProviderConfig(host, port, chunkDelay, maxRecordedRequests, clock);
  }

  private static int integer(String option, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": " + value + " (expected: " + expected(option) + ")", e);
    }
  }

  private static String expected(String option) {
    return option.equals("--host") ? "an address" : "a whole number";
  }
}
