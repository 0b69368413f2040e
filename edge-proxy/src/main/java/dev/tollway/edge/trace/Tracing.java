package dev.tollway.edge.trace;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Starts the span of each request. Thread-safe. */
public interface Tracing extends AutoCloseable {

  /**
   * Starts a request's span.
   *
   * @param incoming the caller's trace context ({@code traceparent}), or null to start a trace
   * @param start when the proxy accepted the request
   */
  RequestSpan startRequest(@Nullable TraceContext incoming, Instant start);

  /** Flushes what is buffered and stops exporting. */
  @Override
  void close();

  /** No spans: only the ids that requests and their upstream attempts carry. */
  static Tracing off() {
    return IdsOnly.INSTANCE;
  }
}
