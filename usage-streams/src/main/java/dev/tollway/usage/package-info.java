/** The usage-streams service: its configuration, its lifecycle (Kafka Streams plus the HTTP API) and its entry point. */
@NullMarked
package dev.tollway.usage;

import org.jspecify.annotations.NullMarked;
