/**
 * The Kafka Streams topology of usage-streams: usage events in, deduplicated, summed per minute and per
 * dimensions into a named window store and the minute topic.
 */
@NullMarked
package dev.tollway.usage.topology;

import org.jspecify.annotations.NullMarked;
