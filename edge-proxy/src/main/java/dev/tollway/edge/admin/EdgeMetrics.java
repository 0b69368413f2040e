package dev.tollway.edge.admin;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.usage.UsageEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * The proxy's request metrics, on a Prometheus registry that other parts register their meters on too. Meters
 * of the request path are registered once per label set and cached, so recording a request is a map lookup and
 * an increment. Every label is bounded: routes, backends, providers, statuses and reason codes come from the
 * configuration and the code; model names are capped (see {@link GenAiMeters}).
 */
public final class EdgeMetrics {

  private static final Duration[] UPSTREAM_LATENCY_BUCKETS = {
    Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
    Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
    Duration.ofSeconds(60)};

  private record RequestKey(String route, int status, String reason) {}

  private record RejectionKey(String reason, String route) {}

  private record UpstreamKey(String provider, String endpoint, int status) {}

  private final PrometheusMeterRegistry registry;
  private final GenAiMeters genAi;
  private final ConcurrentMap<RequestKey, Counter> requests = new ConcurrentHashMap<>();
  private final ConcurrentMap<RejectionKey, Counter> rejections = new ConcurrentHashMap<>();
  private final ConcurrentMap<UpstreamKey, Timer> upstream = new ConcurrentHashMap<>();

  public EdgeMetrics(PrometheusMeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
    this.genAi = new GenAiMeters(registry);
  }

  public static EdgeMetrics create() {
    return new EdgeMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * Records a completed request from its usage events (one per upstream attempt, the last one final): the
   * request counter by route, status and reason, and the GenAI metrics.
   */
  public void completed(List<UsageEvent> events) {
    UsageEvent last = events.get(events.size() - 1);
    request(last.route(), last.status(), last.errorClass());
    genAi.record(events);
  }

  /** Counts an answered request. */
  public void request(@Nullable String route, int status, @Nullable String reason) {
    requests.computeIfAbsent(new RequestKey(route == null ? "" : route, status, reason == null ? "" : reason),
            k -> Counter.builder("tollway.requests")
                .description("requests answered, by route, status and error reason")
                .tag("route", k.route())
                .tag("status", Integer.toString(k.status()))
                .tag("reason", k.reason())
                .register(registry))
        .increment();
  }

  /**
   * Counts a request refused by a policy before it went anywhere.
   *
   * @param reason {@code UNAUTHENTICATED}, {@code RATE_LIMITED} or {@code QUOTA_EXCEEDED}
   */
  public void rejection(String reason, @Nullable String route) {
    rejections.computeIfAbsent(new RejectionKey(requireNonNull(reason, "reason"), route == null ? "" : route),
            k -> Counter.builder("tollway.rejections")
                .description("requests refused by API key authentication, a rate limit or a budget, by reason and route")
                .tag("reason", k.reason())
                .tag("route", k.route())
                .register(registry))
        .increment();
  }

  /** Records the time from sending a request upstream to the start of its answer. */
  public void upstreamLatency(@Nullable String provider, String endpoint, int status, Duration latency) {
    upstream.computeIfAbsent(new UpstreamKey(provider == null ? "" : provider, endpoint, status),
            k -> Timer.builder("tollway.upstream.latency")
                .description("time from sending a request upstream to the start of its answer")
                .tag("provider", k.provider())
                .tag("endpoint", k.endpoint())
                .tag("status", Integer.toString(k.status()))
                .serviceLevelObjectives(UPSTREAM_LATENCY_BUCKETS)
                .register(registry))
        .record(latency);
  }
}
