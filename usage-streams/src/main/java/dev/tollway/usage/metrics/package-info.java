/** Micrometer meters of usage-streams: cost totals, unpriced and estimated events. */
@NullMarked
package dev.tollway.usage.metrics;

import org.jspecify.annotations.NullMarked;
