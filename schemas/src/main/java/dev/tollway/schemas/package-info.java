/** The contracts between config-service, edge-proxy and usage-streams: one record per topic payload. */
@NullMarked
package dev.tollway.schemas;

import org.jspecify.annotations.NullMarked;
