package dev.tollway.config.leader;

/**
 * Whether this instance may write (publish snapshots, write status, provision proxies). Followers keep their
 * caches warm and take over when the leader goes away.
 */
public interface Leadership extends AutoCloseable {

  /** Starts taking part; {@code onChange} runs (on a thread of the election) whenever leadership is won or lost. */
  void start(Runnable onChange);

  /** Whether this instance leads now. */
  boolean isLeader();

  /** Steps down (releasing the Lease, so that a follower takes over at once) and stops taking part. Idempotent. */
  @Override
  void close();

  /** No election: always the leader (a single instance, or {@code ./tollway local}). */
  static Leadership always() {
    return new Leadership() {
      @Override
      public void start(Runnable onChange) {
        // nothing to elect
      }

      @Override
      public boolean isLeader() {
        return true;
      }

      @Override
      public void close() {
        // nothing to release
      }

      @Override
      public String toString() {
        return "no leader election";
      }
    };
  }
}
