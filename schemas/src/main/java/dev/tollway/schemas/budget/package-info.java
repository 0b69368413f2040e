/** Budgets on {@code tollway.budgets.v1}: the limits usage-streams checks running totals against. */
@NullMarked
package dev.tollway.schemas.budget;

import org.jspecify.annotations.NullMarked;
