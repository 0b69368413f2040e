/**
 * The routing table: Gateway API route matching, rewrites and weighted backend choice. Pure values, no I/O; a
 * table is immutable and swapped whole when a snapshot changes.
 */
@NullMarked
package dev.tollway.edge.routing;

import org.jspecify.annotations.NullMarked;
