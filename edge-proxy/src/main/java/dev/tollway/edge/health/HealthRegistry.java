package dev.tollway.edge.health;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The health of every provider, by {@code <backend>#<group>/<provider>}. It outlives routing tables: a new
 * snapshot does not forgive a provider its eviction; providers no longer in any table are forgotten.
 */
public final class HealthRegistry {

  private final Clock clock;
  private final ConcurrentMap<String, ProviderHealth> providers = new ConcurrentHashMap<>();
  private final MeterRegistry meters;

  public HealthRegistry(Clock clock, MeterRegistry meters) {
    this.clock = requireNonNull(clock, "clock");
    this.meters = requireNonNull(meters, "meters");
  }

  /** The key of a provider of a backend. */
  public static String key(String backend, int group, String provider) {
    return backend + "#" + group + "/" + provider;
  }

  public ProviderHealth of(String key) {
    return providers.computeIfAbsent(requireNonNull(key, "key"), k -> new ProviderHealth());
  }

  public long nowMillis() {
    return clock.millis();
  }

  /** Counts an eviction in {@code tollway_provider_evictions_total}. */
  public void evicted(String key) {
    Counter.builder("tollway.provider.evictions").tag("provider", key)
        .description("providers left out of selection after failures").register(meters).increment();
  }

  /** Forgets providers that are in no routing table any more. */
  public void retainOnly(Set<String> keys) {
    providers.keySet().retainAll(keys);
  }
}
