package dev.tollway.edge.health;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.routing.ResolvedBackend;
import dev.tollway.edge.routing.ResolvedBackend.ResolvedProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Chooses the provider of an attempt: the highest-priority group that has a provider not evicted; within it,
 * the better of two random providers by score (power of two choices), preferring providers this request has not
 * tried yet. When every provider of every group is evicted, the first group is used anyway, as agentgateway
 * does: better a provider that may have recovered than no answer.
 */
public final class ProviderSelector {

  private final HealthRegistry registry;

  public ProviderSelector(HealthRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
  }

  /**
   * A provider with where it sits.
   *
   * @param group the index of its group, 0 for the highest priority
   * @param key its key in the {@link HealthRegistry}
   */
  public record Choice(ResolvedProvider provider, int group, String key) {
    public Choice {
      requireNonNull(provider, "provider");
      requireNonNull(key, "key");
    }
  }

  /**
   * @param tried keys of providers this request already tried
   */
  public Choice select(ResolvedBackend.Ai backend, Set<String> tried, RandomGenerator random) {
    long now = registry.nowMillis();
    List<List<ResolvedProvider>> groups = backend.groups();
    for (int g = 0; g < groups.size(); g++) {
      List<Choice> healthy = new ArrayList<>();
      for (ResolvedProvider provider : groups.get(g)) {
        String key = HealthRegistry.key(backend.name(), g, provider.provider().name());
        if (!registry.of(key).isEvicted(now)) {
          healthy.add(new Choice(provider, g, key));
        }
      }
      if (!healthy.isEmpty()) {
        return best(healthy, tried, random);
      }
    }
    List<Choice> first = new ArrayList<>();
    for (ResolvedProvider provider : groups.get(0)) {
      first.add(new Choice(provider, 0, HealthRegistry.key(backend.name(), 0, provider.provider().name())));
    }
    return best(first, tried, random);
  }

  private Choice best(List<Choice> candidates, Set<String> tried, RandomGenerator random) {
    List<Choice> fresh = candidates.stream().filter(c -> !tried.contains(c.key())).toList();
    List<Choice> pool = fresh.isEmpty() ? candidates : fresh;
    if (pool.size() == 1) {
      return pool.get(0);
    }
    int a = random.nextInt(pool.size());
    int b = random.nextInt(pool.size() - 1);
    if (b >= a) {
      b++;
    }
    Choice first = pool.get(a);
    Choice second = pool.get(b);
    return registry.of(second.key()).score() > registry.of(first.key()).score() ? second : first;
  }
}
