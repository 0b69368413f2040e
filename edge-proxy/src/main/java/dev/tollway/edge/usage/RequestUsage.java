package dev.tollway.edge.usage;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.trace.RequestSpan;
import dev.tollway.edge.trace.TraceContext;
import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What one request did, filled in by the pipeline's handlers as the request goes through them and turned
 * into its {@link UsageEvent}s when the exchange completes: one per upstream attempt (the last one final), or
 * one attempt-0 event when no upstream was called. Mutable, touched only by the request's own sequence of
 * callbacks (one at a time), never shared.
 *
 * <p>What an upstream answered (provider, endpoint, models, first token, tokens, a cut stream) belongs to the
 * current attempt once one has started ({@link #startAttempt}); before that it is the request's own.
 */
public final class RequestUsage {

  private final String requestId;
  private final RequestSpan span;
  private final Instant startTime;
  private String gateway;
  private @Nullable String listener;
  private @Nullable String route;
  private @Nullable String backend;
  private @Nullable String provider;
  private @Nullable String endpoint;
  private @Nullable String operation;
  private @Nullable String clientApi;
  private @Nullable String requestModel;
  private @Nullable String providerModel;
  private @Nullable String responseModel;
  private boolean streamed;
  private @Nullable String errorClass;
  private @Nullable Instant firstTokenTime;
  private @Nullable TokenCounts tokens;
  private boolean estimated;
  private boolean streamCompleted = true;
  private final List<Attempt> attempts = new ArrayList<>();
  private UsageEvent.Caller caller = UsageEvent.Caller.anonymous();

  /**
   * @param span the request's span: its trace id goes into every event, and each attempt gets a child span
   * @param gateway the Gateway to report when the request matches none (the configured one)
   */
  public RequestUsage(String requestId, RequestSpan span, Instant startTime, String gateway) {
    this.requestId = requireNonNull(requestId, "requestId");
    this.span = requireNonNull(span, "span");
    this.startTime = requireNonNull(startTime, "startTime");
    this.gateway = requireNonNull(gateway, "gateway");
  }

  /** The trace id of a W3C {@code traceparent} header, or null when absent or malformed. */
  public static @Nullable String traceIdOf(@Nullable String traceparent) {
    TraceContext context = TraceContext.parse(traceparent);
    return context == null ? null : context.traceId();
  }

  /** The request's span. */
  public RequestSpan span() {
    return span;
  }

  /**
   * The {@code traceparent} to send upstream: the current attempt's context (its own span id), or the
   * request's before any attempt started.
   */
  public String upstreamTraceparent() {
    Attempt current = current();
    return (current != null && current.trace != null ? current.trace : span.context()).traceparent();
  }

  public String requestId() {
    return requestId;
  }

  public Instant startTime() {
    return startTime;
  }

  public void gateway(String value) {
    this.gateway = requireNonNull(value, "gateway");
  }

  public String gateway() {
    return gateway;
  }

  public void listener(@Nullable String value) {
    this.listener = value;
  }

  public void route(@Nullable String value) {
    this.route = value;
  }

  public @Nullable String route() {
    return route;
  }

  public void backend(@Nullable String value) {
    this.backend = value;
  }

  public void provider(@Nullable String value) {
    Attempt current = current();
    if (current != null) {
      current.provider = value;
    } else {
      this.provider = value;
    }
  }

  public @Nullable String provider() {
    Attempt current = current();
    return current != null ? current.provider : provider;
  }

  public void endpoint(@Nullable String value) {
    Attempt current = current();
    if (current != null) {
      current.endpoint = value;
    } else {
      this.endpoint = value;
    }
  }

  public void operation(@Nullable String value) {
    this.operation = value;
  }

  public void clientApi(@Nullable String value) {
    this.clientApi = value;
  }

  public void requestModel(@Nullable String value) {
    this.requestModel = value;
  }

  public @Nullable String requestModel() {
    return requestModel;
  }

  public void providerModel(@Nullable String value) {
    Attempt current = current();
    if (current != null) {
      current.providerModel = value;
    } else {
      this.providerModel = value;
    }
  }

  public @Nullable String providerModel() {
    Attempt current = current();
    return current != null ? current.providerModel : providerModel;
  }

  public void responseModel(@Nullable String value) {
    if (value == null) {
      return;
    }
    Attempt current = current();
    if (current != null) {
      current.responseModel = value;
    } else {
      this.responseModel = value;
    }
  }

  public @Nullable String responseModel() {
    Attempt current = current();
    return current != null ? current.responseModel : responseModel;
  }

  public void streamed(boolean value) {
    this.streamed = value;
  }

  /** The request reached an upstream in a single attempt (plain HTTP, passthrough): attempt 1 starts now. */
  public void upstreamCalled() {
    if (attempts.isEmpty()) {
      startAttempt(startTime);
    }
  }

  /**
   * A new upstream attempt starts: what follows about the answer belongs to it. It starts with the provider,
   * endpoint and model known so far.
   */
  public Attempt startAttempt(Instant at) {
    Attempt attempt = new Attempt(attempts.size() + 1, requireNonNull(at, "at"));
    attempt.trace = span.startAttempt(at);
    attempt.provider = provider;
    attempt.endpoint = endpoint;
    attempt.providerModel = providerModel;
    attempts.add(attempt);
    return attempt;
  }

  /** The attempts so far, in order. */
  public List<Attempt> attempts() {
    return List.copyOf(attempts);
  }

  /** The error the client got (the first one recorded wins); also the current attempt's, if it has none. */
  public void errorClass(@Nullable String value) {
    if (value != null && this.errorClass == null) {
      this.errorClass = value;
    }
    Attempt current = current();
    if (value != null && current != null && current.errorClass == null) {
      current.errorClass = value;
    }
  }

  public @Nullable String errorClass() {
    return errorClass;
  }

  /** Records the first generated content; later calls keep the first time. */
  public void firstToken(Instant at) {
    Attempt current = current();
    if (current != null) {
      current.firstToken(at);
    } else if (firstTokenTime == null) {
      firstTokenTime = at;
    }
  }

  /** The provider's counts; a later call replaces an earlier one (streams report cumulative usage). */
  public void tokens(@Nullable TokenCounts counts) {
    if (counts == null) {
      return;
    }
    Attempt current = current();
    if (current != null) {
      current.tokens = counts;
      current.estimated = false;
    } else {
      this.tokens = counts;
      this.estimated = false;
    }
  }

  /** Counts the gateway estimated because the provider reported none (the event says so). */
  public void estimatedTokens(TokenCounts counts) {
    requireNonNull(counts, "counts");
    Attempt current = current();
    if (current != null) {
      current.tokens = counts;
      current.estimated = true;
    } else {
      this.tokens = counts;
      this.estimated = true;
    }
  }

  public @Nullable TokenCounts tokens() {
    Attempt current = current();
    return current != null ? current.tokens : tokens;
  }

  /** Who sent the request, from the client API key it authenticated with. */
  public void caller(UsageEvent.Caller value) {
    this.caller = requireNonNull(value, "caller");
  }

  public UsageEvent.Caller caller() {
    return caller;
  }

  /** A stream ended before the provider finished it. */
  public void streamCut() {
    Attempt current = current();
    if (current != null) {
      current.streamCompleted = false;
    } else {
      this.streamCompleted = false;
    }
  }

  /**
   * A stream ended early without the provider's output count: the output tokens are estimated from the content
   * seen so far (the usage event then says {@code estimated}).
   */
  public void estimateOutput(long outputTokens) {
    Attempt current = current();
    if (current == null || outputTokens <= 0) {
      return;
    }
    TokenCounts counts = current.tokens;
    if (counts == null) {
      current.tokens = new TokenCounts(0, 0, 0, outputTokens, 0);
      current.estimated = true;
    } else if (counts.output() == 0) {
      current.tokens = new TokenCounts(counts.input(), counts.cacheRead(), counts.cacheWrite(), outputTokens, 0);
      current.estimated = true;
    }
  }

  private @Nullable Attempt current() {
    return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
  }

  /**
   * The events of this request, ended now with the status the client got: one per attempt, the last one final
   * (it describes the answer the client got: the request's start, end, status and error), or one attempt-0
   * event when no upstream was called.
   *
   * @param eventIds a fresh event id per call
   */
  public List<UsageEvent> toEvents(Supplier<String> eventIds, Instant endTime, int status) {
    List<UsageEvent> events = new ArrayList<>();
    if (attempts.isEmpty()) {
      events.add(event(eventIds.get(), 0, true, startTime, endTime, provider, endpoint, providerModel, responseModel,
          firstTokenTime, tokens, estimated, streamCompleted, status, errorClass));
      return events;
    }
    for (int i = 0; i < attempts.size(); i++) {
      Attempt a = attempts.get(i);
      boolean last = i == attempts.size() - 1;
      events.add(event(eventIds.get(), a.number, last, last ? startTime : a.start,
          last || a.end == null ? endTime : a.end, a.provider, a.endpoint, a.providerModel, a.responseModel,
          a.firstTokenTime, a.tokens, a.estimated, a.streamCompleted, last ? status : a.upstreamStatus,
          last && errorClass != null ? errorClass : a.errorClass));
    }
    return events;
  }

  /** The final event of this request (see {@link #toEvents}). */
  public UsageEvent toEvent(String eventId, Instant endTime, int status) {
    List<UsageEvent> events = toEvents(() -> eventId, endTime, status);
    return events.get(events.size() - 1);
  }

  private UsageEvent event(
      String eventId, int attempt, boolean finalAttempt, Instant start, Instant end, @Nullable String provider,
      @Nullable String endpoint, @Nullable String providerModel, @Nullable String responseModel,
      @Nullable Instant firstToken, @Nullable TokenCounts counts, boolean estimated, boolean completed, int status,
      @Nullable String error) {
    TokenUsage usage =
        counts == null
            ? new TokenUsage(0, 0, 0, 0, 0, 0, TokenUsage.Source.none, completed)
            : new TokenUsage(
                counts.input(), counts.cacheRead(), counts.cacheWrite(), counts.output(), counts.reasoning(),
                counts.total(), estimated ? TokenUsage.Source.estimated : TokenUsage.Source.provider, completed);
    return new UsageEvent(
        UsageEvent.SCHEMA_VERSION,
        eventId,
        requestId,
        span.context().traceId(),
        attempt,
        finalAttempt,
        start,
        firstToken,
        end,
        gateway,
        listener,
        route,
        backend,
        provider,
        endpoint,
        operation,
        clientApi,
        requestModel,
        providerModel,
        responseModel,
        streamed,
        caller,
        status,
        error,
        usage);
  }

  /** One upstream attempt of the request. Touched only by the request's own callbacks. */
  public static final class Attempt {
    private final int number;
    private final Instant start;
    private @Nullable TraceContext trace;
    private @Nullable Instant end;
    private int upstreamStatus;
    private @Nullable String provider;
    private @Nullable String endpoint;
    private @Nullable String providerModel;
    private @Nullable String responseModel;
    private @Nullable String errorClass;
    private @Nullable Instant firstTokenTime;
    private @Nullable TokenCounts tokens;
    private boolean streamCompleted = true;
    private boolean estimated;

    Attempt(int number, Instant start) {
      this.number = number;
      this.start = start;
    }

    public int number() {
      return number;
    }

    /** The attempt ended, with the upstream's status (0 when it did not answer). */
    public void end(Instant at, int status) {
      if (end == null) {
        end = at;
        upstreamStatus = status;
      }
    }

    public int upstreamStatus() {
      return upstreamStatus;
    }

    public @Nullable String errorClass() {
      return errorClass;
    }

    /** The attempt's own error (the first one wins). */
    public void recordError(String reason) {
      if (errorClass == null) {
        errorClass = requireNonNull(reason, "reason");
      }
    }

    void firstToken(Instant at) {
      if (firstTokenTime == null) {
        firstTokenTime = at;
      }
    }
  }
}
