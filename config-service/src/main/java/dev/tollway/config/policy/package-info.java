/**
 * {@code AgentgatewayPolicy} traffic settings: reading a policy's spec, reading the client API keys of its
 * Secrets, and merging the policies attached at the Gateway, listener, route and rule level into one route
 * policy.
 */
@NullMarked
package dev.tollway.config.policy;

import org.jspecify.annotations.NullMarked;
