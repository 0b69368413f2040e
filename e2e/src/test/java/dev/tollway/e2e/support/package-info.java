/** Test support for the end-to-end suite: the Kafka broker fixture every integration test runs against. */
@NullMarked
package dev.tollway.e2e.support;

import org.jspecify.annotations.NullMarked;
