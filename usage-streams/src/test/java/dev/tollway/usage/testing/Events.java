package dev.tollway.usage.testing;

import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageDimensions;
import dev.tollway.schemas.usage.UsageEvent;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Usage events for tests: a successful final attempt unless told otherwise. */
public final class Events {

  public static final String GATEWAY = "default/agentgateway";

  private Events() {}

  /** An event with the given id that ended at {@code endTime} (ISO-8601). */
  public static Builder event(String eventId, String endTime) {
    return new Builder(eventId, Instant.parse(endTime));
  }

  /** The dimensions of a default event answered by {@code model}. */
  public static UsageDimensions dimensions(String model) {
    return new UsageDimensions(GATEWAY, "default/llm-route#0", "default/openai", "openai", model);
  }

  /** Builds one event. */
  public static final class Builder {
    private final String eventId;
    private final Instant endTime;
    private String requestId;
    private int attempt = 1;
    private boolean finalAttempt = true;
    private String gateway = GATEWAY;
    private @Nullable String route = "default/llm-route#0";
    private @Nullable String backend = "default/openai";
    private @Nullable String provider = "openai";
    private @Nullable String model = "gpt-4o-mini";
    private int status = 200;
    private long inputTokens;
    private long cacheReadInputTokens;
    private long cacheCreationInputTokens;
    private long outputTokens;
    private long reasoningTokens;
    private UsageEvent.Caller caller = UsageEvent.Caller.anonymous();

    private Builder(String eventId, Instant endTime) {
      this.eventId = eventId;
      this.endTime = endTime;
      this.requestId = "req-" + eventId;
    }

    public Builder request(String id) {
      this.requestId = id;
      return this;
    }

    /** An attempt that was not the one answered (a retry followed). */
    public Builder notFinal(int attemptNumber) {
      this.attempt = attemptNumber;
      this.finalAttempt = false;
      return this;
    }

    public Builder attempt(int attemptNumber) {
      this.attempt = attemptNumber;
      return this;
    }

    public Builder gateway(String value) {
      this.gateway = value;
      return this;
    }

    public Builder route(@Nullable String value) {
      this.route = value;
      return this;
    }

    public Builder backend(@Nullable String value) {
      this.backend = value;
      return this;
    }

    public Builder provider(@Nullable String value) {
      this.provider = value;
      return this;
    }

    public Builder model(@Nullable String value) {
      this.model = value;
      return this;
    }

    public Builder status(int value) {
      this.status = value;
      return this;
    }

    public Builder tokens(long input, long output) {
      this.inputTokens = input;
      this.outputTokens = output;
      return this;
    }

    public Builder cache(long read, long creation) {
      this.cacheReadInputTokens = read;
      this.cacheCreationInputTokens = creation;
      return this;
    }

    /** Sent with the API key {@code keyId} named {@code keyName}, of {@code team} (null: no team). */
    public Builder caller(String keyId, String keyName, @Nullable String team) {
      this.caller = new UsageEvent.Caller(keyId, keyName, team, null, new java.util.TreeMap<>());
      return this;
    }

    public Builder reasoning(long value) {
      this.reasoningTokens = value;
      return this;
    }

    public UsageEvent build() {
      TokenUsage tokens =
          new TokenUsage(
              inputTokens,
              cacheReadInputTokens,
              cacheCreationInputTokens,
              outputTokens,
              reasoningTokens,
              inputTokens + outputTokens,
              inputTokens + outputTokens > 0 ? TokenUsage.Source.provider : TokenUsage.Source.none,
              true);
      return new UsageEvent(
          UsageEvent.SCHEMA_VERSION,
          eventId,
          requestId,
          null,
          attempt,
          finalAttempt,
          endTime.minusMillis(800),
          null,
          endTime,
          gateway,
          "http",
          route,
          backend,
          provider,
          "api.openai.com:443",
          "chat",
          "openai.chat",
          model,
          model,
          model,
          false,
          caller,
          status,
          status >= 400 ? "UPSTREAM_ERROR" : null,
          tokens);
    }
  }
}
