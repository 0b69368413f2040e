package dev.tollway.config;

/**
 * Told about every pass of the worker, for example by the local launcher to print
 * {@code published default/agentgateway (2 routes)}. Runs on the worker thread: it must return quickly and
 * must not throw.
 */
@FunctionalInterface
public interface SnapshotListener {

  void onCycle(PublishCycle cycle);
}
