package dev.tollway.e2e.support;

import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageEvent;
import java.time.Instant;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Usage events as an edge-proxy publishes them for a successful OpenAI chat completion through the tutorial's
 * route: 1,200 input tokens (300 of them cached), 400 output tokens, counted by the provider.
 */
public final class UsageEvents {

  private UsageEvents() {}

  /** The event {@code id} of a request that ended at {@code end}, made with {@code key} of {@code team}. */
  public static UsageEvent chat(String id, Instant end, String key, String team, String model) {
    return new UsageEvent(
        UsageEvent.SCHEMA_VERSION,
        id,
        "req-" + id,
        null,
        1,
        true,
        end.minusMillis(900),
        end.minusMillis(700),
        end,
        "default/agentgateway",
        "http",
        "default/llm-route#0",
        "default/openai",
        "openai",
        "api.openai.com:443",
        "chat",
        "openai.chat",
        model,
        model,
        model,
        true,
        new UsageEvent.Caller(key, key, team, null, new TreeMap<>()),
        200,
        null,
        new TokenUsage(1_200, 400, 0, 300, 0, 1_500, TokenUsage.Source.provider, true));
  }

  /** The record of {@code event} as edge-proxy publishes it: keyed by its request id, its JSON as the value. */
  public static ProducerRecord<String, byte[]> record(UsageEvent event) {
    return new ProducerRecord<>(Topics.USAGE.name(), event.requestId(), Json.toBytes(event));
  }
}
