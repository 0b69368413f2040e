package dev.tollway.edge.upstream;

import io.undertow.client.ClientConnection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.xnio.IoUtils;
import org.xnio.XnioIoThread;

/**
 * Idle keep-alive connections per (IO thread, host, port, TLS). Each IO thread has its own map, touched only
 * from that thread, so borrowing and returning need no lock.
 */
final class ConnectionPool {

  /** Where a connection goes. */
  record Key(String host, int port, boolean tls) {}

  private record Idle(ClientConnection connection, long sinceNanos) {}

  private final int maxIdlePerKey;
  private final long maxIdleNanos;
  private final PoolGauges gauges;
  private final Map<XnioIoThread, Map<Key, ArrayDeque<Idle>>> byThread = new ConcurrentHashMap<>();

  ConnectionPool(int maxIdlePerKey, long maxIdleNanos, PoolGauges gauges) {
    this.maxIdlePerKey = maxIdlePerKey;
    this.maxIdleNanos = maxIdleNanos;
    this.gauges = gauges;
  }

  /** An open idle connection, most recently used first; stale ones are closed on the way. */
  @Nullable ClientConnection poll(XnioIoThread thread, Key key, long nowNanos) {
    ArrayDeque<Idle> idle = queue(thread, key);
    Idle candidate;
    while ((candidate = idle.pollFirst()) != null) {
      gauges.of(key).idle.decrementAndGet();
      if (candidate.connection().isOpen() && nowNanos - candidate.sinceNanos() < maxIdleNanos) {
        return candidate.connection();
      }
      IoUtils.safeClose(candidate.connection());
    }
    return null;
  }

  /** Keeps a connection for reuse, or closes it when the pool of its key is full. */
  void offer(XnioIoThread thread, Key key, ClientConnection connection, long nowNanos) {
    ArrayDeque<Idle> idle = queue(thread, key);
    if (idle.size() >= maxIdlePerKey || !connection.isOpen()) {
      IoUtils.safeClose(connection);
      return;
    }
    idle.addFirst(new Idle(connection, nowNanos));
    gauges.of(key).idle.incrementAndGet();
  }

  /** Number of idle connections (for tests and metrics); only exact when called on the IO threads' behalf. */
  int idleCount() {
    int count = 0;
    for (Map<Key, ArrayDeque<Idle>> perThread : byThread.values()) {
      for (ArrayDeque<Idle> queue : perThread.values()) {
        count += queue.size();
      }
    }
    return count;
  }

  /** Closes every idle connection, each on its own IO thread. */
  void closeAll() {
    for (Map.Entry<XnioIoThread, Map<Key, ArrayDeque<Idle>>> entry : byThread.entrySet()) {
      Map<Key, ArrayDeque<Idle>> perThread = entry.getValue();
      Runnable close =
          () -> {
            List<Idle> all = new ArrayList<>();
            perThread.forEach((key, queue) -> {
              gauges.of(key).idle.addAndGet(-queue.size());
              all.addAll(queue);
            });
            perThread.clear();
            all.forEach(idle -> IoUtils.safeClose(idle.connection()));
          };
      try {
        entry.getKey().execute(close);
      } catch (RuntimeException e) {
        close.run();
      }
    }
  }

  private ArrayDeque<Idle> queue(XnioIoThread thread, Key key) {
    return byThread.computeIfAbsent(thread, t -> new HashMap<>()).computeIfAbsent(key, k -> new ArrayDeque<>());
  }
}
