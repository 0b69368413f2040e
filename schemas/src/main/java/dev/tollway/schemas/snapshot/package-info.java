/** The Gateway snapshot on {@code tollway.config.v1}: everything one Gateway's proxies need to route. */
@NullMarked
package dev.tollway.schemas.snapshot;

import org.jspecify.annotations.NullMarked;
