package dev.tollway.config.leader;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.EnvValues;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How config-service replicas elect the one that writes.
 *
 * @param enabled {@code TOLLWAY_LEADER_ELECTION}: elect a leader (default on with the Kubernetes source; off
 *     means this instance always writes)
 * @param namespace {@code TOLLWAY_LEADER_ELECTION_NAMESPACE}: where the Lease lives; absent means the namespace
 *     of the Kubernetes client (the pod's own namespace in a cluster)
 * @param leaseName {@code TOLLWAY_LEADER_ELECTION_LEASE}: the Lease's name (default
 *     {@value #DEFAULT_LEASE_NAME})
 * @param identity {@code TOLLWAY_LEADER_ELECTION_IDENTITY}, else {@code HOSTNAME} (the pod name), else a random
 *     id: who holds the Lease
 * @param leaseDuration {@code TOLLWAY_LEADER_ELECTION_LEASE_DURATION} (default 15s): how long followers wait
 *     after the last renewal before taking over
 * @param renewDeadline {@code TOLLWAY_LEADER_ELECTION_RENEW_DEADLINE} (default 10s): how long the leader keeps
 *     trying to renew before it steps down; shorter than the lease duration
 * @param retryPeriod {@code TOLLWAY_LEADER_ELECTION_RETRY_PERIOD} (default 2s): between attempts
 */
public record LeaderElectionSettings(
    boolean enabled,
    @Nullable String namespace,
    String leaseName,
    String identity,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod) {

  public static final String ENABLED = "TOLLWAY_LEADER_ELECTION";
  public static final String NAMESPACE = "TOLLWAY_LEADER_ELECTION_NAMESPACE";
  public static final String LEASE = "TOLLWAY_LEADER_ELECTION_LEASE";
  public static final String IDENTITY = "TOLLWAY_LEADER_ELECTION_IDENTITY";
  public static final String LEASE_DURATION = "TOLLWAY_LEADER_ELECTION_LEASE_DURATION";
  public static final String RENEW_DEADLINE = "TOLLWAY_LEADER_ELECTION_RENEW_DEADLINE";
  public static final String RETRY_PERIOD = "TOLLWAY_LEADER_ELECTION_RETRY_PERIOD";
  public static final String DEFAULT_LEASE_NAME = "tollway-config-service";

  public LeaderElectionSettings {
    requireNonNull(leaseName, "leaseName");
    requireNonNull(identity, "identity");
    requireNonNull(leaseDuration, "leaseDuration");
    requireNonNull(renewDeadline, "renewDeadline");
    requireNonNull(retryPeriod, "retryPeriod");
  }

  /** No election: this instance writes. */
  public static LeaderElectionSettings disabled() {
    return new LeaderElectionSettings(false, null, DEFAULT_LEASE_NAME, "local", Duration.ofSeconds(15),
        Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  /**
   * Reads the settings.
   *
   * @param enabledByDefault whether election is on when {@value #ENABLED} is unset
   */
  public static LeaderElectionSettings fromEnv(Map<String, String> env, boolean enabledByDefault) {
    boolean enabled = EnvValues.bool(env, ENABLED, enabledByDefault);
    String namespace = EnvValues.value(env, NAMESPACE).orElse(null);
    if (namespace != null && !EnvValues.isDnsLabel(namespace)) {
      throw EnvValues.invalid(NAMESPACE, namespace, "a namespace name");
    }
    String lease = EnvValues.value(env, LEASE).orElse(DEFAULT_LEASE_NAME);
    if (!lease.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
      throw EnvValues.invalid(LEASE, lease, "a Kubernetes object name");
    }
    String identity = EnvValues.value(env, IDENTITY)
        .or(() -> EnvValues.value(env, "HOSTNAME"))
        .orElseGet(() -> "config-service-" + UUID.randomUUID());
    Duration leaseDuration = EnvValues.duration(env, LEASE_DURATION, Duration.ofSeconds(15));
    Duration renew = EnvValues.duration(env, RENEW_DEADLINE, Duration.ofSeconds(10));
    Duration retry = EnvValues.duration(env, RETRY_PERIOD, Duration.ofSeconds(2));
    if (renew.compareTo(leaseDuration) >= 0) {
      throw EnvValues.invalid(RENEW_DEADLINE, renew.toString(),
          "shorter than " + LEASE_DURATION + " (" + leaseDuration + ")");
    }
    if (retry.compareTo(renew) >= 0) {
      throw EnvValues.invalid(RETRY_PERIOD, retry.toString(), "shorter than " + RENEW_DEADLINE + " (" + renew + ")");
    }
    return new LeaderElectionSettings(enabled, namespace, lease, identity, leaseDuration, renew, retry);
  }
}
