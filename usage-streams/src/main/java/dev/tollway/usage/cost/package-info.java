/**
 * Cost as pure functions: a usage event's tokens and a model price in, integer nano-dollars out, with the
 * price lookup's fallbacks and the exact decimal form of an amount. No I/O.
 */
@NullMarked
package dev.tollway.usage.cost;

import org.jspecify.annotations.NullMarked;
