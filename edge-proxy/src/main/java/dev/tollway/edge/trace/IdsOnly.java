package dev.tollway.edge.trace;

import dev.tollway.schemas.usage.UsageEvent;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Tracing off: a request joins the caller's trace or starts one, unsampled unless the caller sampled it. */
final class IdsOnly implements Tracing {

  static final IdsOnly INSTANCE = new IdsOnly();

  private IdsOnly() {}

  @Override
  public RequestSpan startRequest(@Nullable TraceContext incoming, Instant start) {
    return new Span(incoming == null ? TraceContext.newTrace(false) : incoming.child());
  }

  @Override
  public void close() {}

  private record Span(TraceContext context) implements RequestSpan {
    @Override
    public TraceContext startAttempt(Instant at) {
      return context.child();
    }

    @Override
    public void end(String method, String path, List<UsageEvent> events) {}
  }
}
