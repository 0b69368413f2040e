/**
 * The local launcher: the whole pipeline in one JVM — an embedded Kafka broker, config-service on a folder of
 * YAML, edge-proxy and usage-streams — for {@code ./tollway local} and the end-to-end tests.
 */
@NullMarked
package dev.tollway.local;

import org.jspecify.annotations.NullMarked;
