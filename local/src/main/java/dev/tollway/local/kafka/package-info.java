/** A real single-node KRaft Kafka broker started in-process from Kafka's own jars, for local mode and tests. */
@NullMarked
package dev.tollway.local.kafka;

import org.jspecify.annotations.NullMarked;
