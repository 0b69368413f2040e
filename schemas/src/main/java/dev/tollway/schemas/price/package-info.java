/** Model prices on {@code tollway.prices.v1}: what usage-streams turns tokens into cost with. */
@NullMarked
package dev.tollway.schemas.price;

import org.jspecify.annotations.NullMarked;
