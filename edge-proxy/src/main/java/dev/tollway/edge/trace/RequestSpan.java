package dev.tollway.edge.trace;

import dev.tollway.schemas.usage.UsageEvent;
import java.time.Instant;
import java.util.List;

/**
 * The span of one request and of its upstream attempts. Touched only by the request's own sequence of
 * callbacks, one at a time.
 */
public interface RequestSpan {

  /** The request's own context: the trace it belongs to and its span id. */
  TraceContext context();

  /**
   * Starts the span of the next upstream attempt, a child of the request's.
   *
   * @return the attempt's context, sent upstream as {@code traceparent}
   */
  TraceContext startAttempt(Instant at);

  /**
   * Ends the attempts' spans and the request's with what the request did: its usage events, one per attempt
   * started (in order) and the last one final, or one attempt-0 event when no upstream was called.
   *
   * @param method the request's HTTP method
   * @param path the request's path, without the query
   */
  void end(String method, String path, List<UsageEvent> events);
}
