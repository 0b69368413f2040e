/** The usage event of every request and upstream attempt, and the per-minute aggregates built from them. */
@NullMarked
package dev.tollway.schemas.usage;

import org.jspecify.annotations.NullMarked;
