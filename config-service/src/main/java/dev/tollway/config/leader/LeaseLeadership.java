package dev.tollway.config.leader;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a {@code coordination.k8s.io/v1} Lease with fabric8's {@code LeaderElector}. An instance
 * that loses the Lease becomes a follower and keeps competing, so it can lead again later; closing releases the
 * Lease so that a follower takes over without waiting for it to expire.
 *
 * <p>API calls: {@code get}, {@code create} and {@code update} on {@code leases} in the election namespace.
 */
public final class LeaseLeadership implements Leadership {

  private static final Logger log = LoggerFactory.getLogger(LeaseLeadership.class);

  private final KubernetesClient client;
  private final LeaderElectionSettings settings;
  private final String namespace;
  private final AtomicBoolean leader = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile @Nullable CompletableFuture<?> running;
  private volatile Runnable onChange = () -> { };

  /**
   * @param client the client (its namespace is the election namespace unless the settings name one)
   * @param settings lease name, identity and timings
   */
  public LeaseLeadership(KubernetesClient client, LeaderElectionSettings settings) {
    this.client = requireNonNull(client, "client");
    this.settings = requireNonNull(settings, "settings");
    String ns = settings.namespace() != null ? settings.namespace() : client.getNamespace();
    this.namespace = ns == null ? "default" : ns;
  }

  @Override
  public synchronized void start(Runnable onChange) {
    requireNonNull(onChange, "onChange");
    if (running != null || closed.get()) {
      throw new IllegalStateException("leader election can be started once, before it is closed");
    }
    this.onChange = onChange;
    log.info("leader election: lease={}/{} identity={}", namespace, settings.leaseName(), settings.identity());
    run();
  }

  private synchronized void run() {
    if (closed.get()) {
      return;
    }
    CompletableFuture<?> future = client.leaderElector()
        .withConfig(new LeaderElectionConfigBuilder()
            .withName("tollway-config-service")
            .withLock(new LeaseLock(namespace, settings.leaseName(), settings.identity()))
            .withLeaseDuration(settings.leaseDuration())
            .withRenewDeadline(settings.renewDeadline())
            .withRetryPeriod(settings.retryPeriod())
            .withReleaseOnCancel(true)
            .withLeaderCallbacks(new LeaderCallbacks(this::started, this::stopped, this::newLeader))
            .build())
        .build()
        .start();
    running = future;
    future.whenComplete((ignored, error) -> {
      if (leader.compareAndSet(true, false)) {
        changed();
      }
      if (!closed.get()) {
        if (error != null) {
          log.warn("leader election ended: {}; competing again", error.toString());
        }
        // lost the lease (or could not reach the API): compete again as a follower, after a retry period
        CompletableFuture.runAsync(this::run, CompletableFuture.delayedExecutor(
            settings.retryPeriod().toMillis(), TimeUnit.MILLISECONDS));
      }
    });
  }

  private void started() {
    if (leader.compareAndSet(false, true)) {
      log.info("leader election: {} leads now", settings.identity());
      changed();
    }
  }

  private void stopped() {
    if (leader.compareAndSet(true, false)) {
      log.info("leader election: {} stopped leading", settings.identity());
      changed();
    }
  }

  private void newLeader(String identity) {
    log.info("leader election: the leader is {}", identity == null ? "nobody (the lease is free)" : identity);
  }

  private void changed() {
    try {
      onChange.run();
    } catch (RuntimeException e) {
      log.warn("leadership listener failed: {}", e.toString());
    }
  }

  @Override
  public boolean isLeader() {
    return leader.get() && !closed.get();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    CompletableFuture<?> future = running;
    if (future != null) {
      future.cancel(true); // releaseOnCancel: the Lease is given up for a follower to take at once
    }
    leader.set(false);
  }

  @Override
  public String toString() {
    return "Lease " + namespace + "/" + settings.leaseName() + " as " + settings.identity();
  }
}
