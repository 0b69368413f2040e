/** config-service's probe endpoints ({@code /healthz}, {@code /readyz}) for Kubernetes. */
@NullMarked
package dev.tollway.config.admin;

import org.jspecify.annotations.NullMarked;
