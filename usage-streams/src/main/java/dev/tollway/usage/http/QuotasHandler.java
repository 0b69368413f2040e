package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.usage.cost.Money;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * {@code GET /v1/quotas}: every subject currently blocked, one entry per subject and budget, with what it
 * used so far (requests in flight at the crossing included), the limit and when the block lifts.
 */
final class QuotasHandler implements HttpHandler {

  private static final Comparator<QuotaDecision> ORDER =
      Comparator.comparing((QuotaDecision decision) -> decision.subjectType().name())
          .thenComparing(QuotaDecision::subject)
          .thenComparing(QuotaDecision::budget);

  private final UsageStores store;

  QuotasHandler(UsageStores store) {
    this.store = requireNonNull(store, "store");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    List<QuotaDecision> blocks = new ArrayList<>();
    try (KeyValueIterator<String, QuotaDecision> all = store.blocksStore().all()) {
      while (all.hasNext()) {
        KeyValue<String, QuotaDecision> entry = all.next();
        if (entry.value != null) {
          blocks.add(entry.value);
        }
      }
    }
    blocks.sort(ORDER);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode array = body.putArray("quotas");
    for (QuotaDecision block : blocks) {
      ObjectNode node =
          array
              .addObject()
              .put("subjectType", block.subjectType().name())
              .put("subject", block.subject())
              .put("budget", block.budget())
              .put("window", block.window().name())
              .put("windowStart", block.windowStart().toString())
              .put("windowEnd", block.windowEnd().toString())
              .put("used", block.used())
              .put("limit", block.limit())
              .put("unit", block.unit().name())
              .put("until", block.blockedUntil().toString())
              .put("decidedAt", block.decidedAt().toString());
      if (block.unit() == QuotaDecision.Unit.nanoUsd) {
        node.put("usedUsd", Money.usd(block.used())).put("limitUsd", Money.usd(block.limit()));
      }
    }
    JsonResponses.send(exchange, 200, body);
  }
}
