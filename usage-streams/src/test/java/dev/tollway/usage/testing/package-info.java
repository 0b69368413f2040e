/** Test data shared by the usage-streams tests: usage events built field by field. */
@NullMarked
package dev.tollway.usage.testing;

import org.jspecify.annotations.NullMarked;
