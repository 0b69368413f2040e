package dev.tollway.schemas.topic;

import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.price.ModelPrice;
import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.usage.SpendAggregate;
import dev.tollway.schemas.usage.UsageAggregate;
import dev.tollway.schemas.usage.UsageEvent;
import java.util.List;
import java.util.Map;

/** Every topic of Tollway. Deploy manifests and the local launcher create exactly these. */
public final class Topics {

  private Topics() {}

  /** One snapshot per Gateway; a deleted Gateway is a tombstone. */
  public static final TopicDefinition<GatewaySnapshot> CONFIG =
      new TopicDefinition<>(
          "tollway.config.v1",
          "<namespace>/<gateway>",
          GatewaySnapshot.class,
          "dev/tollway/schemas/gateway-snapshot.schema.json",
          1,
          true,
          Map.of("min.compaction.lag.ms", "0", "max.message.bytes", "8388608"));

  /** One event per request and per upstream attempt. */
  public static final TopicDefinition<UsageEvent> USAGE =
      new TopicDefinition<>(
          "tollway.usage.v1",
          "request id",
          UsageEvent.class,
          "dev/tollway/schemas/usage-event.schema.json",
          6,
          false,
          Map.of("retention.ms", String.valueOf(7L * 24 * 3600 * 1000)));

  /** Per-minute requests and tokens by gateway, route, backend, provider and model. */
  public static final TopicDefinition<UsageAggregate> USAGE_MINUTE =
      new TopicDefinition<>(
          "tollway.usage.minute.v1",
          "gateway|route|backend|provider|model@windowStart",
          UsageAggregate.class,
          "dev/tollway/schemas/usage-aggregate.schema.json",
          6,
          false,
          Map.of("retention.ms", String.valueOf(30L * 24 * 3600 * 1000)));

  /** Model prices: the bundled catalog with operators' overrides. */
  public static final TopicDefinition<ModelPrice> PRICES =
      new TopicDefinition<>(
          "tollway.prices.v1",
          "<provider>/<model>",
          ModelPrice.class,
          "dev/tollway/schemas/model-price.schema.json",
          1,
          true,
          Map.of("min.compaction.lag.ms", "0"));

  /** Budgets from operators' Budget resources; a tombstone removes one. */
  public static final TopicDefinition<Budget> BUDGETS =
      new TopicDefinition<>(
          "tollway.budgets.v1",
          "<namespace>/<name>",
          Budget.class,
          "dev/tollway/schemas/budget.schema.json",
          1,
          true,
          Map.of("min.compaction.lag.ms", "0"));

  /** Daily spend per key, team, model, provider and route, for billing. */
  public static final TopicDefinition<SpendAggregate> SPEND_DAILY =
      new TopicDefinition<>(
          "tollway.spend.daily.v1",
          "apiKeyId|team|model|provider|route|gateway@day",
          SpendAggregate.class,
          "dev/tollway/schemas/spend-aggregate.schema.json",
          6,
          false,
          Map.of("retention.ms", String.valueOf(400L * 24 * 3600 * 1000)));

  /** Who is over budget; a tombstone lifts the block. */
  public static final TopicDefinition<QuotaDecision> QUOTA =
      new TopicDefinition<>(
          "tollway.quota.v1",
          "<subjectType>:<subject>|<budget>",
          QuotaDecision.class,
          "dev/tollway/schemas/quota-decision.schema.json",
          1,
          true,
          Map.of("min.compaction.lag.ms", "0"));

  /** All topics, in the order of the pipeline. */
  public static List<TopicDefinition<?>> all() {
    return List.of(CONFIG, PRICES, BUDGETS, USAGE, USAGE_MINUTE, SPEND_DAILY, QUOTA);
  }
}
