package dev.tollway.edge.admin;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageEvent;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * The OpenTelemetry GenAI metrics, one set per (operation, provider, request model, response model, gateway,
 * route, backend), registered once and cached:
 *
 * <ul>
 *   <li>{@code gen_ai.client.token.usage} ({@code gen_ai_client_token_usage}): tokens per upstream attempt that
 *       reported or estimated them, by {@code gen_ai.token.type} — {@code input} (cache-inclusive),
 *       {@code output}, {@code input_cache_read}, {@code input_cache_write} (the cache types only when non-zero;
 *       output not for embeddings and token counting);
 *   <li>{@code gen_ai.server.request.duration} ({@code _seconds}): the request as the client saw it, with
 *       {@code error.type} (the reason code, or empty);
 *   <li>{@code gen_ai.server.time_to_first_token} ({@code _seconds}): streamed answers that succeeded, from the
 *       request's start to the first generated content;
 *   <li>{@code gen_ai.server.time_per_output_token} ({@code _seconds}): streamed answers that succeeded with more
 *       than one output token, (end − first token) / (output tokens − 1).
 * </ul>
 *
 * Bucket boundaries are the conventions' own. Model names come from clients and providers: each label takes
 * its first {@value #MODEL_LABELS} values, later ones are {@code _other}.
 */
final class GenAiMeters {

  static final int MODEL_LABELS = 200;

  static final String TOKEN_INPUT = "input";
  static final String TOKEN_OUTPUT = "output";
  static final String TOKEN_CACHE_READ = "input_cache_read";
  static final String TOKEN_CACHE_WRITE = "input_cache_write";

  private static final double[] TOKEN_BUCKETS = {
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864};
  private static final Duration[] DURATION_BUCKETS = seconds(
      0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
  private static final Duration[] TTFT_BUCKETS = seconds(
      0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
  private static final Duration[] TPOT_BUCKETS = seconds(
      0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5);

  /** The labels every GenAI metric carries. */
  record Key(String operation, String provider, String requestModel, String responseModel, String gateway,
      String route, String backend) {

    Tags tags() {
      return Tags.of(
          "gen_ai.operation.name", operation,
          "gen_ai.provider.name", provider,
          "gen_ai.request.model", requestModel,
          "gen_ai.response.model", responseModel,
          "gateway", gateway,
          "route", route,
          "backend", backend);
    }
  }

  private record TokenKey(Key key, String type) {}

  private record DurationKey(Key key, String errorType) {}

  private final MeterRegistry registry;
  private final LabelLimit requestModels = new LabelLimit(MODEL_LABELS);
  private final LabelLimit responseModels = new LabelLimit(MODEL_LABELS);
  private final ConcurrentMap<TokenKey, DistributionSummary> tokens = new ConcurrentHashMap<>();
  private final ConcurrentMap<DurationKey, Timer> durations = new ConcurrentHashMap<>();
  private final ConcurrentMap<Key, Timer> firstTokens = new ConcurrentHashMap<>();
  private final ConcurrentMap<Key, Timer> perOutputToken = new ConcurrentHashMap<>();

  GenAiMeters(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
  }

  /** Records the events of one request: tokens of every attempt, durations of the final one. */
  void record(Iterable<UsageEvent> events) {
    for (UsageEvent event : events) {
      if (event.operation() == null) {
        continue;
      }
      Key key = key(event);
      TokenUsage usage = event.tokens();
      if (usage.source() != TokenUsage.Source.none) {
        token(key, TOKEN_INPUT, usage.inputTokens());
        if (hasOutput(event.operation())) {
          token(key, TOKEN_OUTPUT, usage.outputTokens());
        }
        if (usage.cacheReadInputTokens() > 0) {
          token(key, TOKEN_CACHE_READ, usage.cacheReadInputTokens());
        }
        if (usage.cacheCreationInputTokens() > 0) {
          token(key, TOKEN_CACHE_WRITE, usage.cacheCreationInputTokens());
        }
      }
      if (event.finalAttempt()) {
        timings(key, event);
      }
    }
  }

  private void timings(Key key, UsageEvent event) {
    String errorType = event.errorClass() == null ? "" : event.errorClass();
    durations.computeIfAbsent(new DurationKey(key, errorType), k -> Timer.builder("gen_ai.server.request.duration")
            .description("GenAI requests as their clients saw them, from accepted to the last byte sent")
            .tags(k.key().tags()).tag("error.type", k.errorType())
            .serviceLevelObjectives(DURATION_BUCKETS)
            .register(registry))
        .record(Duration.between(event.startTime(), event.endTime()));
    boolean succeeded = event.errorClass() == null && event.status() < 400;
    if (!event.streamed() || !succeeded || event.firstTokenTime() == null) {
      return;
    }
    Duration ttft = Duration.between(event.startTime(), event.firstTokenTime());
    firstTokens.computeIfAbsent(key, k -> Timer.builder("gen_ai.server.time_to_first_token")
            .description("streamed GenAI answers: time from the request to the first generated content")
            .tags(k.tags())
            .serviceLevelObjectives(TTFT_BUCKETS)
            .register(registry))
        .record(ttft.isNegative() ? Duration.ZERO : ttft);
    long output = event.tokens().outputTokens();
    if (output > 1) {
      Duration decoding = Duration.between(event.firstTokenTime(), event.endTime());
      perOutputToken.computeIfAbsent(key, k -> Timer.builder("gen_ai.server.time_per_output_token")
              .description("streamed GenAI answers: time per output token after the first")
              .tags(k.tags())
              .serviceLevelObjectives(TPOT_BUCKETS)
              .register(registry))
          .record(Duration.ofNanos(Math.max(0, decoding.toNanos()) / (output - 1)));
    }
  }

  private void token(Key key, String type, long count) {
    tokens.computeIfAbsent(new TokenKey(key, type), k -> DistributionSummary.builder("gen_ai.client.token.usage")
            .description("tokens used per upstream call, by token type")
            .tags(k.key().tags()).tag("gen_ai.token.type", k.type())
            .serviceLevelObjectives(TOKEN_BUCKETS)
            .register(registry))
        .record(count);
  }

  private Key key(UsageEvent event) {
    return new Key(
        value(event.operation()),
        value(event.provider()),
        requestModels.of(event.requestModel()),
        responseModels.of(event.responseModel()),
        event.gateway(),
        value(event.route()),
        value(event.backend()));
  }

  private static boolean hasOutput(String operation) {
    return !operation.equals("embeddings") && !operation.equals("count_tokens") && !operation.equals("list_models");
  }

  private static String value(@Nullable String value) {
    return value == null ? "" : value;
  }

  private static Duration[] seconds(double... values) {
    Duration[] durations = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      durations[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    }
    return durations;
  }
}
