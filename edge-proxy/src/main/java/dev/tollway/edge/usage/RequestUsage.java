package dev.tollway.edge.usage;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageEvent;
import java.time.Instant;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What one request did, filled in by the pipeline's handlers as the request goes through them and turned
 * into one {@link UsageEvent} when the exchange completes. Mutable, touched only by the request's own
 * sequence of callbacks (one at a time), never shared.
 */
public final class RequestUsage {

  private static final Pattern TRACEPARENT = Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}.*$");

  private final String requestId;
  private final @Nullable String traceId;
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
  private boolean upstreamCalled;
  private @Nullable String errorClass;
  private @Nullable Instant firstTokenTime;
  private @Nullable TokenCounts tokens;
  private boolean estimated;
  private boolean streamCompleted = true;
  private UsageEvent.Caller caller = UsageEvent.Caller.anonymous();

  /**
   * @param gateway the Gateway to report when the request matches none (the configured one)
   */
  public RequestUsage(String requestId, @Nullable String traceparent, Instant startTime, String gateway) {
    this.requestId = requireNonNull(requestId, "requestId");
    this.traceId = traceIdOf(traceparent);
    this.startTime = requireNonNull(startTime, "startTime");
    this.gateway = requireNonNull(gateway, "gateway");
  }

  /** The trace id of a W3C {@code traceparent} header, or null when absent or malformed. */
  public static @Nullable String traceIdOf(@Nullable String traceparent) {
    if (traceparent == null) {
      return null;
    }
    var matcher = TRACEPARENT.matcher(traceparent.strip());
    if (!matcher.matches() || matcher.group(1).equals("0".repeat(32))) {
      return null;
    }
    return matcher.group(1);
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
    this.provider = value;
  }

  public @Nullable String provider() {
    return provider;
  }

  public void endpoint(@Nullable String value) {
    this.endpoint = value;
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
    this.providerModel = value;
  }

  public @Nullable String providerModel() {
    return providerModel;
  }

  public void responseModel(@Nullable String value) {
    if (value != null) {
      this.responseModel = value;
    }
  }

  public @Nullable String responseModel() {
    return responseModel;
  }

  public void streamed(boolean value) {
    this.streamed = value;
  }

  /** The request reached an upstream: the event is attempt 1 instead of 0. */
  public void upstreamCalled() {
    this.upstreamCalled = true;
  }

  public void errorClass(@Nullable String value) {
    if (value != null && this.errorClass == null) {
      this.errorClass = value;
    }
  }

  public @Nullable String errorClass() {
    return errorClass;
  }

  /** Records the first generated content; later calls keep the first time. */
  public void firstToken(Instant at) {
    if (firstTokenTime == null) {
      firstTokenTime = at;
    }
  }

  /** The provider's counts; a later call replaces an earlier one (streams report cumulative usage). */
  public void tokens(@Nullable TokenCounts counts) {
    if (counts != null) {
      this.tokens = counts;
      this.estimated = false;
    }
  }

  /** Counts the gateway estimated because the provider reported none (the event says so). */
  public void estimatedTokens(TokenCounts counts) {
    this.tokens = requireNonNull(counts, "counts");
    this.estimated = true;
  }

  public @Nullable TokenCounts tokens() {
    return tokens;
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
    this.streamCompleted = false;
  }

  /** The event for this request, ended now with the status the client got. */
  public UsageEvent toEvent(String eventId, Instant endTime, int status) {
    TokenUsage usage =
        tokens == null
            ? new TokenUsage(0, 0, 0, 0, 0, 0, TokenUsage.Source.none, streamCompleted)
            : new TokenUsage(
                tokens.input(), tokens.cacheRead(), tokens.cacheWrite(), tokens.output(), tokens.reasoning(),
                tokens.total(), estimated ? TokenUsage.Source.estimated : TokenUsage.Source.provider,
                streamCompleted);
    return new UsageEvent(
        UsageEvent.SCHEMA_VERSION,
        eventId,
        requestId,
        traceId,
        upstreamCalled ? 1 : 0,
        true,
        startTime,
        firstTokenTime,
        endTime,
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
        errorClass,
        usage);
  }
}
