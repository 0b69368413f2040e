package dev.tollway.schemas.snapshot;

import org.jspecify.annotations.Nullable;

/**
 * {@code spec.policies.health} of an AI backend: when a provider is considered unhealthy and for how long it is
 * left out of selection (failover then moves to the next priority group).
 *
 * @param unhealthyCondition which answers count as failures, in agentgateway's expression form (for example
 *     {@code response.code >= 500 || response.code == 429}); absent means 5xx, 429 and connection failures
 * @param evictionMillis how long an unhealthy provider is left out (grows with repeated evictions; a 429 with
 *     {@code Retry-After} evicts for that long instead)
 * @param consecutiveFailures failures in a row before eviction (default 1)
 */
public record HealthPolicy(@Nullable String unhealthyCondition, long evictionMillis, int consecutiveFailures) {}
