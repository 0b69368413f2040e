/**
 * config-service: compiles Gateway API and agentgateway resources into one snapshot per Gateway and publishes
 * it to Kafka.
 */
@NullMarked
package dev.tollway.config;

import org.jspecify.annotations.NullMarked;
