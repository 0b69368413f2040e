/** edge-proxy: the data plane. {@code Main} wires; {@code EdgeProxy} owns start, stop and readiness. */
@NullMarked
package dev.tollway.edge;

import org.jspecify.annotations.NullMarked;
