/** The one place where every topic is defined: name, key, value schema, partitions and cleanup policy. */
@NullMarked
package dev.tollway.schemas.topic;

import org.jspecify.annotations.NullMarked;
