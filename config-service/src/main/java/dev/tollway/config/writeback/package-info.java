/**
 * Writing the compiler's conditions back as Kubernetes status (GatewayClass, Gateway, HTTPRoute,
 * AgentgatewayBackend, AgentgatewayPolicy): compared before writing, transition times kept while a condition
 * holds, conflicts retried on a fresh read.
 */
@NullMarked
package dev.tollway.config.writeback;

import org.jspecify.annotations.NullMarked;
