package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.usage.aggregate.UsageCounts;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code GET /v1/usage?groupBy=model&from=...&to=...}: requests, errors and tokens per group, summed from
 * the minute store. Runs on a worker thread (the store read blocks).
 */
final class UsageHandler implements HttpHandler {

  private final UsageStores store;
  private final Clock clock;

  UsageHandler(UsageStores store, Clock clock) {
    this.store = requireNonNull(store, "store");
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    UsageQuery query =
        UsageQuery.parse(exchange.getQueryParameters(), clock.instant().truncatedTo(ChronoUnit.MILLIS));
    List<UsageRow> rows = UsageRows.sum(query, store.minuteStore());
    JsonResponses.send(exchange, 200, body(query, rows));
  }

  static ObjectNode body(UsageQuery query, List<UsageRow> rows) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("groupBy", query.groupBy().parameter());
    body.put("from", query.from().toString());
    body.put("to", query.to().toString());
    ArrayNode array = body.putArray("rows");
    for (UsageRow row : rows) {
      UsageCounts counts = row.counts();
      array
          .addObject()
          .put(query.groupBy().parameter(), row.group())
          .put("requests", counts.requests())
          .put("inputTokens", counts.inputTokens())
          .put("outputTokens", counts.outputTokens())
          .put("totalTokens", counts.totalTokens())
          .put("cacheReadInputTokens", counts.cacheReadInputTokens())
          .put("cacheCreationInputTokens", counts.cacheCreationInputTokens())
          .put("reasoningTokens", counts.reasoningTokens())
          .put("errors", counts.errors());
    }
    return body;
  }
}
