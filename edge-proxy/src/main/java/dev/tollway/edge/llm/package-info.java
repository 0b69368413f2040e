/**
 * The provider-neutral model of a chat exchange (request, response, stream events, token counts) and the
 * codec interface every wire format implements. Pure values: no I/O.
 */
@NullMarked
package dev.tollway.edge.llm;

import org.jspecify.annotations.NullMarked;
