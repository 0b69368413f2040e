package dev.tollway.config;

import dev.tollway.config.snapshot.CompileResult;
import dev.tollway.config.watch.SourceState;

/**
 * What a pass writes back to the cluster after publishing (the Kubernetes source: proxies and status). Runs on
 * the worker thread, on the leader only.
 */
@FunctionalInterface
public interface ClusterWriter {

  /** Writes nothing (the folder source). */
  ClusterWriter NONE = (read, result) -> ClusterWrite.NONE;

  /**
   * Makes the cluster reflect {@code result}; failures are reported in the returned value (and the pass is
   * retried), never thrown.
   */
  ClusterWrite write(SourceState read, CompileResult result);
}
