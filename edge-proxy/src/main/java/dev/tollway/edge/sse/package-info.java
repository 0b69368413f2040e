/** Server-sent events as values, an incremental parser and a writer, tested on exact bytes. */
@NullMarked
package dev.tollway.edge.sse;

import org.jspecify.annotations.NullMarked;
