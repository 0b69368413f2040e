/** Test fixtures: a small chat wire format, test protocols, a fake provider and an in-process proxy stack. */
@NullMarked
package dev.tollway.edge.testing;

import org.jspecify.annotations.NullMarked;
