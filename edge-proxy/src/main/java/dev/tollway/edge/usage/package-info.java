/**
 * Usage events: what each request did, gathered while it runs, published to {@code tollway.usage.v1} without
 * ever blocking or failing the request, and written as one access-log line.
 */
@NullMarked
package dev.tollway.edge.usage;

import org.jspecify.annotations.NullMarked;
