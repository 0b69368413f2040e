/** The HTTP API of usage-streams: usage summed from the window store, health and readiness. */
@NullMarked
package dev.tollway.usage.http;

import org.jspecify.annotations.NullMarked;
