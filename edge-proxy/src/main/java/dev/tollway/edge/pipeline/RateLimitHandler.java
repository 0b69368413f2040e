package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.llm.TokenCounts;
import dev.tollway.edge.ratelimit.RateLimiter;
import dev.tollway.edge.ratelimit.RateLimiter.Admission;
import dev.tollway.edge.routing.RouteDecision;
import dev.tollway.edge.usage.RequestUsage;
import dev.tollway.schemas.snapshot.ApiKeySet.ClientApiKey;
import dev.tollway.schemas.snapshot.RoutePolicy.RateLimit;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Local rate limits of the route's policy, per client API key (per client address for anonymous requests):
 * every answer of a limited route that gets this far (past API keys and quotas) carries
 * {@code x-ratelimit-limit}, {@code x-ratelimit-remaining} and {@code x-ratelimit-reset} (seconds) for the most
 * constrained limit; a request over a limit is answered 429
 * {@code RATE_LIMITED} in the caller's shape with {@code Retry-After}. {@code tokens} limits are debited with
 * the answer's input and output tokens when the exchange completes, streams included.
 */
final class RateLimitHandler implements HttpHandler {

  static final HttpString LIMIT = new HttpString("x-ratelimit-limit");
  static final HttpString REMAINING = new HttpString("x-ratelimit-remaining");
  static final HttpString RESET = new HttpString("x-ratelimit-reset");

  private final PipelineContext context;
  private final HttpHandler next;

  RateLimitHandler(PipelineContext context, HttpHandler next) {
    this.context = requireNonNull(context, "context");
    this.next = requireNonNull(next, "next");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    RouteDecision route = exchange.getAttachment(Attachments.ROUTE);
    List<RateLimit> limits = route.route().policy().rateLimits();
    if (limits.isEmpty()) {
      next.handleRequest(exchange);
      return;
    }
    String subject = subject(exchange);
    RateLimiter limiter = context.rateLimiter();
    Admission admission = limiter.admit(limits, subject);
    HeaderMap headers = exchange.getResponseHeaders();
    headers.put(LIMIT, admission.capacity());
    headers.put(REMAINING, admission.remaining());
    headers.put(RESET, admission.resetSeconds());
    if (!admission.admitted()) {
      context.metrics().rejection(ErrorReason.RATE_LIMITED.name(), route.route().id());
      EarlyCodec.attach(exchange, context);
      RateLimit limit = requireNonNull(admission.limit());
      throw new GatewayException(ErrorReason.RATE_LIMITED, ErrorReason.RATE_LIMITED.status(),
          "rate limit of " + limit.limit() + " " + limit.kind() + " per " + unit(limit) + " (burst " + limit.burst()
              + ") reached; retry in " + admission.resetSeconds() + " s",
          admission.reset(), null);
    }
    if (limits.stream().anyMatch(l -> l.kind() == RateLimit.Kind.tokens)) {
      RequestUsage usage = exchange.getAttachment(Attachments.USAGE);
      exchange.addExchangeCompleteListener((ex, nextListener) -> {
        try {
          TokenCounts tokens = usage.tokens();
          if (tokens != null) {
            limiter.debitTokens(limits, subject, tokens.input() + tokens.output());
          }
        } finally {
          nextListener.proceed();
        }
      });
    }
    next.handleRequest(exchange);
  }

  /** The caller's API key id, or the client's address for an anonymous request. */
  private static String subject(HttpServerExchange exchange) {
    ClientApiKey caller = exchange.getAttachment(Attachments.CALLER);
    if (caller != null) {
      return caller.id();
    }
    InetSocketAddress source = exchange.getSourceAddress();
    return source == null || source.getAddress() == null ? "unknown" : source.getAddress().getHostAddress();
  }

  private static String unit(RateLimit limit) {
    return switch (limit.unit()) {
      case Seconds -> "second";
      case Minutes -> "minute";
      case Hours -> "hour";
    };
  }
}
