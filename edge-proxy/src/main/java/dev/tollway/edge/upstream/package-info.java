/**
 * The non-blocking upstream HTTP client on Undertow's own client: pooled keep-alive connections per IO thread,
 * TLS with SNI and hostname verification, connect and per-attempt timeouts, bodies relayed chunk by chunk.
 */
@NullMarked
package dev.tollway.edge.upstream;

import org.jspecify.annotations.NullMarked;
