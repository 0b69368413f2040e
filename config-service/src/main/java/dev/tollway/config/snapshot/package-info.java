/** The pure compiler from a cluster state to one snapshot per Gateway plus per-resource conditions. */
@NullMarked
package dev.tollway.config.snapshot;

import org.jspecify.annotations.NullMarked;
