/** config-service's admin endpoints ({@code /healthz}, {@code /readyz}, {@code /metrics}) and its metrics. */
@NullMarked
package dev.tollway.config.admin;

import org.jspecify.annotations.NullMarked;
