package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.usage.cost.Money;
import dev.tollway.usage.spend.SpendCounts;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /v1/spend} (JSON) and {@code GET /v1/spend.csv} (RFC 4180): requests, tokens by type and cost
 * per group, summed from the daily spend store. Runs on a worker thread (the store read blocks).
 */
final class SpendHandler implements HttpHandler {

  /** The count columns of a row, after the group columns (and the day), in this order. */
  static final List<String> COLUMNS =
      List.of(
          "requests",
          "errors",
          "inputTokens",
          "cacheReadInputTokens",
          "cacheCreationInputTokens",
          "outputTokens",
          "reasoningTokens",
          "totalTokens",
          "costUsd",
          "unpricedRequests",
          "estimatedRequests");

  private final UsageStores store;
  private final ZoneId zone;
  private final Clock clock;
  private final boolean csv;

  private SpendHandler(UsageStores store, ZoneId zone, Clock clock, boolean csv) {
    this.store = requireNonNull(store, "store");
    this.zone = requireNonNull(zone, "zone");
    this.clock = requireNonNull(clock, "clock");
    this.csv = csv;
  }

  static SpendHandler json(UsageStores store, ZoneId zone, Clock clock) {
    return new SpendHandler(store, zone, clock, false);
  }

  static SpendHandler csv(UsageStores store, ZoneId zone, Clock clock) {
    return new SpendHandler(store, zone, clock, true);
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    SpendQuery query =
        SpendQuery.parse(exchange.getQueryParameters(), clock.instant().truncatedTo(ChronoUnit.MILLIS), zone);
    List<SpendRow> rows = SpendRows.sum(query, store.spendStore(), zone);
    if (csv) {
      exchange.setStatusCode(200);
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/csv; charset=utf-8; header=present");
      exchange
          .getResponseHeaders()
          .put(Headers.CONTENT_DISPOSITION, "attachment; filename=\"spend-by-" + query.groupBy().parameter() + ".csv\"");
      exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
      exchange.getResponseSender().send(csv(query, rows), StandardCharsets.UTF_8);
    } else {
      JsonResponses.send(exchange, 200, body(query, rows, zone));
    }
  }

  static ObjectNode body(SpendQuery query, List<SpendRow> rows, ZoneId zone) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("groupBy", query.groupBy().parameter());
    body.put("from", query.from().toString());
    body.put("to", query.to().toString());
    body.put("timeZone", zone.getId());
    if (query.perDay()) {
      body.put("interval", "day");
    }
    ArrayNode array = body.putArray("rows");
    for (SpendRow row : rows) {
      ObjectNode node = array.addObject();
      List<String> groupValues = groupValues(query, row);
      for (int i = 0; i < groupValues.size(); i++) {
        node.put(query.groupBy().fields().get(i), groupValues.get(i));
      }
      if (row.day() != null) {
        node.put("day", row.day().toString());
      }
      counts(node, row.counts());
    }
    counts(body.putObject("total"), SpendRows.total(rows));
    return body;
  }

  /** The whole CSV: a header row and one record per row, CRLF line breaks, fields quoted when needed. */
  static String csv(SpendQuery query, List<SpendRow> rows) {
    StringBuilder out = new StringBuilder();
    List<String> header = new ArrayList<>(query.groupBy().fields());
    if (query.perDay()) {
      header.add("day");
    }
    header.addAll(COLUMNS);
    Csv.record(out, header);
    for (SpendRow row : rows) {
      List<String> fields = new ArrayList<>(groupValues(query, row));
      if (query.perDay()) {
        fields.add(String.valueOf(row.day()));
      }
      SpendCounts counts = row.counts();
      fields.add(Long.toString(counts.requests()));
      fields.add(Long.toString(counts.errors()));
      fields.add(Long.toString(counts.inputTokens()));
      fields.add(Long.toString(counts.cacheReadInputTokens()));
      fields.add(Long.toString(counts.cacheCreationInputTokens()));
      fields.add(Long.toString(counts.outputTokens()));
      fields.add(Long.toString(counts.reasoningTokens()));
      fields.add(Long.toString(counts.totalTokens()));
      fields.add(Money.usd(counts.costNanoUsd()));
      fields.add(Long.toString(counts.unpricedRequests()));
      fields.add(Long.toString(counts.estimatedRequests()));
      Csv.record(out, fields);
    }
    return out.toString();
  }

  private static List<String> groupValues(SpendQuery query, SpendRow row) {
    if (query.groupBy() == SpendGroupBy.KEY) {
      return List.of(row.group(), row.counts().apiKeyName());
    }
    return List.of(row.group());
  }

  private static void counts(ObjectNode node, SpendCounts counts) {
    node.put("requests", counts.requests())
        .put("errors", counts.errors())
        .put("inputTokens", counts.inputTokens())
        .put("cacheReadInputTokens", counts.cacheReadInputTokens())
        .put("cacheCreationInputTokens", counts.cacheCreationInputTokens())
        .put("outputTokens", counts.outputTokens())
        .put("reasoningTokens", counts.reasoningTokens())
        .put("totalTokens", counts.totalTokens())
        .put("costUsd", Money.usd(counts.costNanoUsd()))
        .put("costNanoUsd", counts.costNanoUsd())
        .put("unpricedRequests", counts.unpricedRequests())
        .put("estimatedRequests", counts.estimatedRequests());
  }
}
