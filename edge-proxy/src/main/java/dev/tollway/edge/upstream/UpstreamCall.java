package dev.tollway.edge.upstream;

/**
 * A call in progress, as seen by its response handler. Every method must be called on the call's IO thread
 * (the thread the handler's callbacks run on).
 */
public interface UpstreamCall {

  /** Stops reading the response until {@link #resumeReads()}: the way a slow client slows the upstream. */
  void suspendReads();

  /** Reads the response again after {@link #suspendReads()}. */
  void resumeReads();

  /** Abandons the call and closes its connection; no callback follows. Idempotent. */
  void cancel();
}
