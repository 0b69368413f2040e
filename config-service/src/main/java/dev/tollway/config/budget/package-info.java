/** Budgets: operators' {@code Budget} resources ({@code tollway.dev/v1alpha1}) read into {@code Budget} records. */
@NullMarked
package dev.tollway.config.budget;

import org.jspecify.annotations.NullMarked;
