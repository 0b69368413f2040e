package dev.tollway.config;

import static java.util.Objects.requireNonNull;

import dev.tollway.config.provision.ProvisionResult;
import dev.tollway.config.writeback.WriteResult;

/**
 * What a pass wrote back to the cluster.
 *
 * @param provisioning the proxies created, updated and deleted
 * @param status the statuses written
 */
public record ClusterWrite(ProvisionResult provisioning, WriteResult status) {

  public static final ClusterWrite NONE = new ClusterWrite(ProvisionResult.NONE, WriteResult.NONE);

  public ClusterWrite {
    requireNonNull(provisioning, "provisioning");
    requireNonNull(status, "status");
  }

  /** Whether everything was written (else the pass is retried). */
  public boolean ok() {
    return provisioning.ok() && status.ok();
  }
}
