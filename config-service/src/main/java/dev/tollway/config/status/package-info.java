/** Gateway API-style conditions the compiler reports per resource, ready to be written as Kubernetes status. */
@NullMarked
package dev.tollway.config.status;

import org.jspecify.annotations.NullMarked;
