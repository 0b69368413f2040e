/** Anthropic Messages ({@code /v1/messages}): the codec of its wire format and its protocol. */
@NullMarked
package dev.tollway.edge.provider.anthropic;

import org.jspecify.annotations.NullMarked;
