/** Benchmarks run by hand from {@code bench/} (not tests: neither surefire nor failsafe runs them). */
@NullMarked
package dev.tollway.e2e.bench;

import org.jspecify.annotations.NullMarked;
