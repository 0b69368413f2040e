/**
 * W3C trace context and request tracing: the trace a request joins (or starts), a span per request and per
 * upstream attempt, exported over OTLP when configured.
 */
@NullMarked
package dev.tollway.edge.trace;

import org.jspecify.annotations.NullMarked;
