package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.error.GatewayException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The chat requests in flight, so that shutdown can end those still running at its deadline the proper way: a
 * stream under way gets an error event in the client's format (never a silent cut), a request still waiting for
 * its provider gets {@code UNAVAILABLE}. Each request ends itself on its own IO thread.
 */
public final class InFlight {

  private final Set<Consumer<GatewayException>> requests = ConcurrentHashMap.newKeySet();

  void add(Consumer<GatewayException> end) {
    requests.add(requireNonNull(end, "end"));
  }

  void remove(Consumer<GatewayException> end) {
    requests.remove(end);
  }

  /** Requests not finished yet. */
  public int size() {
    return requests.size();
  }

  /** Ends every request still in flight with this error. */
  public void endAll(GatewayException reason) {
    for (Consumer<GatewayException> end : List.copyOf(requests)) {
      end.accept(reason);
    }
  }
}
