/** Test support for the end-to-end suite: the Kafka broker fixture, the whole stack, and what tests share on top. */
@NullMarked
package dev.tollway.e2e.support;

import org.jspecify.annotations.NullMarked;
