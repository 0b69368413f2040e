package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.routing.RouteDecision;
import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.schemas.quota.QuotaDecision.SubjectType;
import dev.tollway.schemas.snapshot.ApiKeySet.ClientApiKey;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Budget enforcement: a request whose API key, team (from the key's metadata) or route is blocked by a quota
 * decision in force ({@code now < blockedUntil}) is answered 429 {@code QUOTA_EXCEEDED} in the caller's
 * shape (OpenAI: {@code "code": "insufficient_quota"}), with {@code Retry-After} until the block lifts by
 * itself. Requests already in flight when a decision arrives are not affected: they complete and are charged
 * (the overshoot of a budget).
 */
final class QuotaHandler implements HttpHandler {

  private final PipelineContext context;
  private final HttpHandler next;

  QuotaHandler(PipelineContext context, HttpHandler next) {
    this.context = requireNonNull(context, "context");
    this.next = requireNonNull(next, "next");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    RouteDecision route = exchange.getAttachment(Attachments.ROUTE);
    ClientApiKey caller = exchange.getAttachment(Attachments.CALLER);
    Instant now = context.clock().instant();
    Optional<QuotaDecision> blocked = context.quotas().blocking(SubjectType.route, route.route().entry().route(), now);
    if (caller != null) {
      blocked = blocked.or(() -> context.quotas().blocking(SubjectType.apiKey, caller.id(), now))
          .or(() -> context.quotas().blocking(SubjectType.team, caller.team(), now));
    }
    if (blocked.isPresent()) {
      context.metrics().rejection(ErrorReason.QUOTA_EXCEEDED.name(), route.route().id());
      EarlyCodec.attach(exchange, context);
      QuotaDecision decision = blocked.get();
      throw new GatewayException(ErrorReason.QUOTA_EXCEEDED, ErrorReason.QUOTA_EXCEEDED.status(), message(decision),
          Duration.between(now, decision.blockedUntil()), null);
    }
    next.handleRequest(exchange);
  }

  /** {@code team payments is over budget default/daily: $50.01 of $50 this day, until 2026-11-27T00:00:00Z}. */
  static String message(QuotaDecision decision) {
    String subject = switch (decision.subjectType()) {
      case apiKey -> "API key " + decision.subject();
      case team -> "team " + decision.subject();
      case route -> "route " + decision.subject();
    };
    String amounts = decision.unit() == QuotaDecision.Unit.nanoUsd
        ? "$" + dollars(decision.used()) + " of $" + dollars(decision.limit())
        : decision.used() + " of " + decision.limit() + " tokens";
    return subject + " is over budget " + decision.budget() + ": " + amounts + " this " + decision.window()
        + ", until " + decision.blockedUntil();
  }

  private static String dollars(long nanoUsd) {
    return BigDecimal.valueOf(nanoUsd, 9).stripTrailingZeros().toPlainString();
  }
}
