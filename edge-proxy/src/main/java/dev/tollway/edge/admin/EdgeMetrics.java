package dev.tollway.edge.admin;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The proxy's request metrics, on a Prometheus registry that other parts register their meters on too. */
public final class EdgeMetrics {

  private final PrometheusMeterRegistry registry;

  public EdgeMetrics(PrometheusMeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
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

  /** Counts an answered request. */
  public void request(@Nullable String route, int status, @Nullable String reason) {
    Counter.builder("tollway.requests")
        .description("requests answered, by route, status and error reason")
        .tag("route", route == null ? "" : route)
        .tag("status", Integer.toString(status))
        .tag("reason", reason == null ? "" : reason)
        .register(registry)
        .increment();
  }

  /**
   * Counts a request refused by a policy before it went anywhere.
   *
   * @param reason {@code UNAUTHENTICATED}, {@code RATE_LIMITED} or {@code QUOTA_EXCEEDED}
   */
  public void rejection(String reason, @Nullable String route) {
    Counter.builder("tollway.rejections")
        .description("requests refused by API key authentication, a rate limit or a budget, by reason and route")
        .tag("reason", reason)
        .tag("route", route == null ? "" : route)
        .register(registry)
        .increment();
  }

  /** Records the time from sending a request upstream to the start of its answer. */
  public void upstreamLatency(@Nullable String provider, String endpoint, int status, Duration latency) {
    Timer.builder("tollway.upstream.latency")
        .description("time from sending a request upstream to the start of its answer")
        .tag("provider", provider == null ? "" : provider)
        .tag("endpoint", endpoint)
        .tag("status", Integer.toString(status))
        .register(registry)
        .record(latency);
  }
}
