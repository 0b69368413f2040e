/**
 * Budgets as pure rules: who an event charges, the calendar or rolling window a charge falls in, and
 * whether a subject's usage in its current window has reached a budget's limit, and until when. No I/O.
 */
@NullMarked
package dev.tollway.usage.quota;

import org.jspecify.annotations.NullMarked;
