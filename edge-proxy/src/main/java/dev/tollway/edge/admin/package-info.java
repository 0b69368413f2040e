/** The admin port ({@code /healthz}, {@code /readyz}, {@code /metrics}) and the proxy's metrics. */
@NullMarked
package dev.tollway.edge.admin;

import org.jspecify.annotations.NullMarked;
