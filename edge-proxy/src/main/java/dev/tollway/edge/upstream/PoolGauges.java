package dev.tollway.edge.upstream;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Connections to each upstream ({@code host:port}, {@code https://} before TLS ones): in use by a call
 * ({@code active}) and kept idle in the pool, as the gauge {@code tollway_upstream_connections{upstream,state}}.
 * Counted with atomics as connections change hands, so a scrape never walks the IO threads' pools.
 */
final class PoolGauges {

  /** The counts of one upstream. */
  static final class Counts {
    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger idle = new AtomicInteger();
  }

  private final @Nullable MeterRegistry registry;
  private final ConcurrentMap<ConnectionPool.Key, Counts> counts = new ConcurrentHashMap<>();

  /** @param registry where the gauges go; null counts without publishing */
  PoolGauges(@Nullable MeterRegistry registry) {
    this.registry = registry;
  }

  Counts of(ConnectionPool.Key key) {
    Counts existing = counts.get(key);
    return existing != null ? existing : counts.computeIfAbsent(key, this::register);
  }

  /** Connections of every upstream in the given state. */
  int total(boolean active) {
    int total = 0;
    for (Counts c : counts.values()) {
      total += active ? c.active.get() : c.idle.get();
    }
    return total;
  }

  private Counts register(ConnectionPool.Key key) {
    Counts created = new Counts();
    if (registry != null) {
      String upstream = (key.tls() ? "https://" : "") + key.host() + ":" + key.port();
      Gauge.builder("tollway.upstream.connections", created, c -> c.active.get())
          .description("connections to an upstream: in use by a call (active) or kept for reuse (idle)")
          .tag("upstream", upstream).tag("state", "active").register(registry);
      Gauge.builder("tollway.upstream.connections", created, c -> c.idle.get())
          .description("connections to an upstream: in use by a call (active) or kept for reuse (idle)")
          .tag("upstream", upstream).tag("state", "idle").register(registry);
    }
    return created;
  }
}
