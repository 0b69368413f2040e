/** Reason-coded gateway errors; the one place that renders them lives in the pipeline. */
@NullMarked
package dev.tollway.edge.error;

import org.jspecify.annotations.NullMarked;
