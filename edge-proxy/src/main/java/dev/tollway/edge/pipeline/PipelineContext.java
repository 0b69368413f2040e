package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.admin.EdgeMetrics;
import dev.tollway.edge.health.HealthRegistry;
import dev.tollway.edge.health.ProviderSelector;
import dev.tollway.edge.provider.ProtocolLookup;
import dev.tollway.edge.quota.QuotaBook;
import dev.tollway.edge.ratelimit.RateLimiter;
import dev.tollway.edge.routing.RoutingTable;
import dev.tollway.edge.trace.Tracing;
import dev.tollway.edge.upstream.UpstreamClient;
import dev.tollway.edge.usage.UsageSink;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * What the pipeline's handlers need.
 *
 * @param routes the current routing table; read once per request
 * @param protocols the provider protocols (also the source of client-side codecs)
 * @param upstream the upstream HTTP client
 * @param usage where usage events go
 * @param metrics request metrics
 * @param clock time for usage events
 * @param random weighted backend choice
 * @param maxRequestBytes the largest request body accepted
 * @param upstreamTimeout per-attempt timeout when the route sets none
 * @param defaultGateway the Gateway reported for requests that match none
 * @param keyDigest the keyed digest of a client API key ({@code SnapshotCipher::digest})
 * @param rateLimiter the local rate limits
 * @param quotas the quota decisions in force
 * @param health provider health, shared by every request
 * @param limits limits on what clients send
 * @param inFlight the chat requests in flight, for shutdown
 * @param tracing starts each request's span
 */
public record PipelineContext(
    Supplier<RoutingTable> routes,
    ProtocolLookup protocols,
    UpstreamClient upstream,
    UsageSink usage,
    EdgeMetrics metrics,
    Clock clock,
    RandomGenerator random,
    long maxRequestBytes,
    Duration upstreamTimeout,
    String defaultGateway,
    UnaryOperator<String> keyDigest,
    RateLimiter rateLimiter,
    QuotaBook quotas,
    HealthRegistry health,
    RequestLimits limits,
    InFlight inFlight,
    Tracing tracing) {

  public PipelineContext {
    requireNonNull(routes, "routes");
    requireNonNull(protocols, "protocols");
    requireNonNull(upstream, "upstream");
    requireNonNull(usage, "usage");
    requireNonNull(metrics, "metrics");
    requireNonNull(clock, "clock");
    requireNonNull(random, "random");
    requireNonNull(upstreamTimeout, "upstreamTimeout");
    requireNonNull(defaultGateway, "defaultGateway");
    requireNonNull(keyDigest, "keyDigest");
    requireNonNull(rateLimiter, "rateLimiter");
    requireNonNull(quotas, "quotas");
    requireNonNull(health, "health");
    requireNonNull(limits, "limits");
    requireNonNull(inFlight, "inFlight");
    requireNonNull(tracing, "tracing");
  }

  /** Chooses providers by health and latency. */
  public ProviderSelector selector() {
    return new ProviderSelector(health);
  }
}
