package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpHandler;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import java.time.Clock;
import java.time.ZoneId;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Assembles the HTTP API; the service and the tests both call {@link #handler}. */
public final class UsageApi {

  private UsageApi() {}

  /**
   * The whole API: every request moves to a worker thread (store reads block), errors become JSON in one
   * place, then the routes.
   *
   * <ul>
   *   <li>{@code GET /v1/usage} — usage summed per group from the minute store
   *   <li>{@code GET /v1/spend}, {@code GET /v1/spend.csv} — spend per group from the daily spend store, whose
   *       days are in {@code spendZone}
   *   <li>{@code GET /v1/quotas} — the subjects currently blocked
   *   <li>{@code GET /} — the dashboard, with its script, style and Chart.js
   *   <li>{@code GET /healthz} — 200 while {@code live}, else 503
   *   <li>{@code GET /readyz} — 200 while {@code ready}, else 503
   * </ul>
   */
  public static HttpHandler handler(
      UsageStores store, ZoneId spendZone, BooleanSupplier live, BooleanSupplier ready, Clock clock) {
    return handler(store, spendZone, live, ready, clock, null);
  }

  /**
   * As {@link #handler(UsageStores, ZoneId, BooleanSupplier, BooleanSupplier, Clock)}, with
   * {@code GET /metrics} (the Prometheus text of {@code metrics}) when it is given.
   */
  public static HttpHandler handler(
      UsageStores store, ZoneId spendZone, BooleanSupplier live, BooleanSupplier ready, Clock clock,
      @Nullable Supplier<String> metrics) {
    requireNonNull(store, "store");
    requireNonNull(spendZone, "spendZone");
    requireNonNull(live, "live");
    requireNonNull(ready, "ready");
    requireNonNull(clock, "clock");
    DashboardHandler dashboard = new DashboardHandler();
    RoutingHandler routes =
        new RoutingHandler()
            .get("/v1/usage", new UsageHandler(store, clock))
            .get("/v1/spend", SpendHandler.json(store, spendZone, clock))
            .get("/v1/spend.csv", SpendHandler.csv(store, spendZone, clock))
            .get("/v1/quotas", new QuotasHandler(store))
            .get("/healthz", new HealthHandler(live))
            .get("/readyz", new HealthHandler(ready));
    if (metrics != null) {
      routes.get("/metrics", new MetricsHandler(metrics));
    }
    for (String path : dashboard.paths()) {
      routes.get(path, dashboard);
    }
    routes
        .setFallbackHandler(
            exchange -> {
              throw new ApiException(ApiError.NOT_FOUND, "no such endpoint: " + exchange.getRequestPath());
            })
        .setInvalidMethodHandler(
            exchange -> {
              throw new ApiException(
                  ApiError.METHOD_NOT_ALLOWED,
                  exchange.getRequestMethod() + " " + exchange.getRequestPath() + ": not allowed (expected GET)");
            });
    return new BlockingHandler(new ErrorHandler(routes));
  }
}
