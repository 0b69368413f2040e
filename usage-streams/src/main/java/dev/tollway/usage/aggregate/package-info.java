/** The running totals of usage (requests, errors, tokens by type) and how events add up into them. */
@NullMarked
package dev.tollway.usage.aggregate;

import org.jspecify.annotations.NullMarked;
