package dev.tollway.config.kubernetes;

import dev.tollway.config.ClusterWrite;
import dev.tollway.config.ClusterWriter;
import dev.tollway.config.provision.ProvisionResult;
import dev.tollway.config.provision.ProxyProvisioner;
import dev.tollway.config.snapshot.CompileResult;
import dev.tollway.config.watch.SourceState;
import dev.tollway.config.writeback.StatusWriter;
import dev.tollway.config.writeback.WriteResult;
import org.jspecify.annotations.Nullable;

/**
 * Writes a pass back to the cluster: first the proxies (so that a provisioning problem shows in the Gateway's
 * status), then the status of every resource. Either part may be off.
 */
public final class KubernetesWriter implements ClusterWriter {

  private final @Nullable ProxyProvisioner provisioner;
  private final @Nullable StatusWriter status;

  /**
   * @param provisioner provisions proxies; absent in {@code ./tollway local --kubernetes}
   * @param status writes status; absent when {@code TOLLWAY_WRITE_STATUS=false}
   */
  public KubernetesWriter(@Nullable ProxyProvisioner provisioner, @Nullable StatusWriter status) {
    this.provisioner = provisioner;
    this.status = status;
  }

  @Override
  public ClusterWrite write(SourceState read, CompileResult result) {
    ProvisionResult provisioned = provisioner == null ? ProvisionResult.NONE : provisioner.provision(read.state(), result);
    WriteResult written = status == null ? WriteResult.NONE : status.write(read.state(), result, provisioned);
    return new ClusterWrite(provisioned, written);
  }

  @Override
  public String toString() {
    return "KubernetesWriter[provisioning=" + (provisioner != null) + ", status=" + (status != null) + "]";
  }
}
