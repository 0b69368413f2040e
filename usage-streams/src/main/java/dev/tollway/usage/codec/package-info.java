/**
 * Compact binary encodings of usage-streams' internal data (repartition topics, state stores, their
 * changelogs); the public topics keep the JSON contracts of {@code schemas}.
 */
@NullMarked
package dev.tollway.usage.codec;

import org.jspecify.annotations.NullMarked;
