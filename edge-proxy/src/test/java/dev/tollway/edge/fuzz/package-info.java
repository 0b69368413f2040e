/** Seeded random inputs against request parsing, translation and the snapshot decoder. */
@NullMarked
package dev.tollway.edge.fuzz;

import org.jspecify.annotations.NullMarked;
