/**
 * The Undertow side of the proxy: one HTTP listener per declared port of the served Gateways, opened and
 * closed as snapshots change, all on one XNIO worker and one handler chain.
 */
@NullMarked
package dev.tollway.edge.server;

import org.jspecify.annotations.NullMarked;
