package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.health.HealthRegistry;
import dev.tollway.edge.health.ProviderHealth;
import dev.tollway.edge.health.ProviderSelector;
import dev.tollway.edge.llm.ChatCodec;
import dev.tollway.edge.llm.ChatRequest;
import dev.tollway.edge.provider.ProviderProtocol;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.routing.ResolvedBackend;
import dev.tollway.edge.routing.ResolvedBackend.ResolvedProvider;
import dev.tollway.edge.routing.RouteDecision;
import dev.tollway.edge.upstream.UpstreamCall;
import dev.tollway.edge.upstream.UpstreamRequest;
import dev.tollway.edge.usage.RequestUsage;
import dev.tollway.schemas.snapshot.RoutePolicy;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.xnio.XnioExecutor;

/**
 * The upstream attempts of one chat request, on the exchange's IO thread: each attempt picks a provider (the
 * first was picked by {@link ProviderHandler}; a retry re-selects, so it can fail over to another provider or
 * group), sends the request in that provider's format with a per-attempt timeout, and learns from its relay
 * whether it failed before anything reached the client (then retry, if the route's {@code retry} policy allows
 * and time is left) or committed its answer (then no more retries). Every attempt's result goes into the
 * provider's health. The route's request timeout bounds the whole: past it, an uncommitted request is answered
 * {@code UPSTREAM_TIMEOUT} and a stream already under way ends with an error event.
 */
final class ChatAttempts implements AttemptOutcome {

  private final HttpServerExchange exchange;
  private final PipelineContext context;
  private final ResolvedBackend.Ai backend;
  private final RouteDecision route;
  private final ChatCodec clientCodec;
  private final @Nullable SameApiBody sameApi;
  private final @Nullable String clientModel;
  private final boolean stream;
  private final RequestUsage usage;
  private final RoutePolicy.@Nullable Retry retry;
  private final long deadlineNanos;
  private final @Nullable Duration requestTimeout;
  private final Set<String> tried = new HashSet<>();

  private @Nullable ChatRequest clientRequest;
  private Attachments.ProviderCall call;
  private int attempt;
  private @Nullable String healthKey;
  private RequestUsage.@Nullable Attempt attemptUsage;
  private @Nullable UpstreamCall upstreamCall;
  private @Nullable StreamingChatRelay streamingRelay;
  private @Nullable Duration latency;
  private boolean attemptOpen;
  private boolean committed;
  private boolean done;
  private XnioExecutor.@Nullable Key requestTimer;

  ChatAttempts(HttpServerExchange exchange, PipelineContext context) {
    this.exchange = requireNonNull(exchange, "exchange");
    this.context = requireNonNull(context, "context");
    this.backend = (ResolvedBackend.Ai) exchange.getAttachment(Attachments.BACKEND);
    this.route = exchange.getAttachment(Attachments.ROUTE);
    this.clientCodec = exchange.getAttachment(Attachments.CLIENT_CODEC);
    this.clientRequest = exchange.getAttachment(Attachments.CHAT_REQUEST);
    this.sameApi = exchange.getAttachment(Attachments.SAME_API_BODY);
    this.clientModel = ProviderHandler.requestModel(exchange);
    this.stream = clientRequest != null && clientRequest.stream();
    this.usage = exchange.getAttachment(Attachments.USAGE);
    this.call = exchange.getAttachment(Attachments.PROVIDER_CALL);
    this.retry = route.route().entry().policy().retry();
    this.requestTimeout = requestTimeout(route);
    long elapsed = Math.max(0, context.clock().millis() - usage.startTime().toEpochMilli());
    this.deadlineNanos = requestTimeout == null
        ? Long.MAX_VALUE
        : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, requestTimeout.toMillis() - elapsed));
  }

  /** Starts the first attempt; runs on the exchange's IO thread from then on. */
  void start() {
    java.util.function.Consumer<GatewayException> shutdown =
        error -> exchange.getIoThread().execute(() -> end(error));
    context.inFlight().add(shutdown);
    exchange.addExchangeCompleteListener((ex, next) -> {
      context.inFlight().remove(shutdown);
      next.proceed();
    });
    if (requestTimeout != null) {
      requestTimer = exchange.getIoThread().executeAfter(
          this::requestTimedOut, Math.max(1, remainingMillis()), TimeUnit.MILLISECONDS);
      exchange.addExchangeCompleteListener((ex, next) -> {
        XnioExecutor.Key timer = requestTimer;
        if (timer != null) {
          timer.remove();
        }
        next.proceed();
      });
    }
    attempt();
  }

  private void attempt() {
    if (done) {
      return;
    }
    attempt++;
    ResolvedProvider provider = call.provider();
    ProviderProtocol protocol = provider.protocol();
    String model = call.model();
    // the provider may speak the client's own API natively (OpenAI's Responses), else its chat API
    ChatCodec providerCodec = protocol.chatCodec(clientCodec.format());
    SameApiBody asSent = sameApi;
    boolean clientBytes = asSent != null && providerCodec.format() == clientCodec.format()
        && providerCodec.keepsOwnFormatButModel() && model.equals(asSent.model());
    ChatRequest decoded = clientRequest;
    if (!clientBytes && decoded == null) {
      try {
        decoded = ChatApiHandler.decodeLater(exchange, context);
      } catch (RuntimeException e) {
        done = true;
        ErrorResponder.send(exchange, e);
        return;
      }
      clientRequest = decoded;
    }
    healthKey = keyOf(provider);
    tried.add(healthKey);
    latency = null;
    attemptOpen = true;
    context.health().of(healthKey).begin();
    attemptUsage = usage.startAttempt(context.clock().instant());
    usage.provider(protocol.otelName());
    usage.providerModel(model);

    UpstreamTarget target;
    byte[] body;
    try {
      if (decoded != null && providerCodec.format() != clientCodec.format()) {
        clientCodec.checkTranslatable(decoded);
      }
      target = protocol.chatTarget(provider.provider(), clientCodec.format(), model, stream);
      body = clientBytes
          ? requireNonNull(asSent, "asSent").bytes()
          : providerCodec.encodeRequest(requireNonNull(decoded, "decoded").withModel(model))
              .toString().getBytes(StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      finishAttempt(true, 0, null);
      done = true;
      ErrorResponder.send(exchange, e);
      return;
    }
    HeaderMap headers = ForwardHeaders.forProvider(exchange.getRequestHeaders(), route.headerModifiers());
    headers.put(Headers.CONTENT_TYPE, "application/json");
    headers.put(Headers.ACCEPT, stream ? "text/event-stream" : "application/json");
    headers.put(RequestIdHandler.X_REQUEST_ID, exchange.getAttachment(Attachments.REQUEST_ID));
    ForwardHeaders.trace(headers, usage);
    if (attempt > 1) {
      headers.put(X_RETRY_ATTEMPT, Integer.toString(attempt - 1));
    }
    String credential = Credentials.forProvider(provider, exchange);
    usage.endpoint(target.authority());

    RelayBase relay;
    if (stream) {
      StreamingChatRelay streaming = new StreamingChatRelay(
          exchange, context, target.authority(), clientCodec, providerCodec, requireNonNull(decoded, "decoded"), this);
      streamingRelay = streaming;
      relay = streaming;
    } else {
      streamingRelay = null;
      relay = new BufferedChatRelay(exchange, context, target.authority(), clientCodec, providerCodec, decoded, this);
    }
    Duration timeout = min(attemptTimeout(route, backend, context.upstreamTimeout()), Duration.ofMillis(remainingMillis()));
    int thisAttempt = attempt;
    // Authentication may sign the body (SigV4) or wait for a token refresh on another thread: the call goes
    // out on the exchange's IO thread once the credential headers are known.
    protocol.authenticate(provider.provider(), target, "POST", body, credential)
        .whenComplete((auth, failure) -> exchange.getIoThread().execute(() -> {
          if (done || thisAttempt != attempt) {
            return;
          }
          if (failure != null) {
            finishAttempt(false, 0, null);
            done = true;
            ErrorResponder.send(exchange, unwrap(failure));
            return;
          }
          auth.forEach((name, value) -> headers.put(new HttpString(name), value));
          upstreamCall = context.upstream().send(
              exchange.getIoThread(), new UpstreamRequest(target, "POST", headers, body, null), timeout, relay);
        }));
  }

  @Override
  public void answered(int status, Duration latency) {
    this.latency = latency;
  }

  @Override
  public void failed(GatewayException error, int upstreamStatus, boolean noAnswer) {
    if (done || committed) {
      return;
    }
    boolean failure = noAnswer || backend.condition().isFailure(upstreamStatus);
    Duration retryAfter = upstreamStatus == 429 ? error.retryAfter() : null;
    finishAttempt(failure, upstreamStatus, retryAfter);
    recordAttemptError(error);
    long backoff = retry == null || retry.backoffMillis() == null ? 0 : Math.max(0, retry.backoffMillis());
    if (retryable(upstreamStatus, noAnswer) && remainingMillis() > backoff) {
      Attachments.ProviderCall next = reselect();
      if (next != null) {
        call = next;
        if (backoff == 0) {
          attempt();
        } else {
          exchange.getIoThread().executeAfter(this::attempt, backoff, TimeUnit.MILLISECONDS);
        }
        return;
      }
    }
    done = true;
    ErrorResponder.send(exchange, error);
  }

  @Override
  public void committed(int status) {
    if (committed) {
      return;
    }
    committed = true;
    finishAttempt(backend.condition().isFailure(status), status, null);
  }

  private void recordAttemptError(GatewayException error) {
    RequestUsage.Attempt current = attemptUsage;
    if (current != null && current.errorClass() == null) {
      // the attempt's own error; the request's is set when (and if) it reaches the client
      current.recordError(error.reason().name());
    }
  }

  private boolean retryable(int upstreamStatus, boolean noAnswer) {
    if (retry == null || attempt >= retry.attempts()) {
      return false;
    }
    return noAnswer || retry.codes().contains(upstreamStatus);
  }

  private Attachments.@Nullable ProviderCall reselect() {
    ProviderSelector.Choice choice = context.selector().select(backend, tried, context.random());
    try {
      return ProviderHandler.call(backend, choice.provider(), clientModel);
    } catch (GatewayException e) {
      return null;
    }
  }

  private void finishAttempt(boolean failure, int status, @Nullable Duration retryAfter) {
    if (!attemptOpen) {
      return;
    }
    attemptOpen = false;
    RequestUsage.Attempt current = attemptUsage;
    if (current != null) {
      current.end(context.clock().instant(), status);
    }
    String key = healthKey;
    if (key != null) {
      ProviderHealth health = context.health().of(key);
      if (health.end(failure, retryAfter, latency, backend.health(), context.health().nowMillis())) {
        context.health().evicted(key);
      }
    }
  }

  private void requestTimedOut() {
    requestTimer = null;
    end(new GatewayException(ErrorReason.UPSTREAM_TIMEOUT,
        "the request did not complete within " + human(requestTimeout) + " (the route's request timeout)"));
  }

  /**
   * Ends the request now (its deadline passed, or the proxy stops): before the first byte with {@code timeout} as
   * the answer; a stream under way with it as an error event.
   */
  private void end(GatewayException timeout) {
    if (done) {
      return;
    }
    UpstreamCall current = upstreamCall;
    if (!committed) {
      done = true;
      if (current != null) {
        current.cancel();
      }
      finishAttempt(true, 0, null);
      recordAttemptError(timeout);
      ErrorResponder.send(exchange, timeout);
      return;
    }
    StreamingChatRelay streaming = streamingRelay;
    if (streaming != null) {
      done = true;
      if (current != null) {
        current.cancel();
      }
      streaming.abort(timeout);
    }
  }

  private long remainingMillis() {
    if (deadlineNanos == Long.MAX_VALUE) {
      return Long.MAX_VALUE / 2;
    }
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  private String keyOf(ResolvedProvider provider) {
    for (int g = 0; g < backend.groups().size(); g++) {
      if (backend.groups().get(g).contains(provider)) {
        return HealthRegistry.key(backend.name(), g, provider.provider().name());
      }
    }
    return HealthRegistry.key(backend.name(), 0, provider.provider().name());
  }

  private static final HttpString X_RETRY_ATTEMPT = new HttpString("x-retry-attempt");

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
  }

  private static Duration min(Duration a, Duration b) {
    Duration at = a.compareTo(b) <= 0 ? a : b;
    return at.isZero() || at.isNegative() ? Duration.ofMillis(1) : at;
  }

  /** The route's request timeout ({@code timeouts.request}): the whole request, attempts and pauses included. */
  static @Nullable Duration requestTimeout(RouteDecision route) {
    var timeouts = route.route().entry().timeouts();
    if (timeouts != null && timeouts.requestMillis() != null && timeouts.requestMillis() > 0) {
      return Duration.ofMillis(timeouts.requestMillis());
    }
    return null;
  }

  /**
   * One attempt's timeout: the tighter of the route's {@code timeouts.backendRequest} and the backend's
   * {@code http.requestTimeout}; the proxy's {@code TOLLWAY_UPSTREAM_TIMEOUT} when neither is set.
   */
  static Duration attemptTimeout(RouteDecision route, ResolvedBackend.@Nullable Ai backend, Duration fallback) {
    Duration timeout = null;
    var timeouts = route.route().entry().timeouts();
    if (timeouts != null && timeouts.backendRequestMillis() != null && timeouts.backendRequestMillis() > 0) {
      timeout = Duration.ofMillis(timeouts.backendRequestMillis());
    }
    if (backend != null && backend.requestTimeoutMillis() != null) {
      Duration own = Duration.ofMillis(backend.requestTimeoutMillis());
      timeout = timeout == null || own.compareTo(timeout) < 0 ? own : timeout;
    }
    return timeout != null ? timeout : fallback;
  }

  private static String human(@Nullable Duration duration) {
    if (duration == null) {
      return "?";
    }
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
  }
}
