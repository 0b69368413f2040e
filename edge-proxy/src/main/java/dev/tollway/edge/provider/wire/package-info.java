/**
 * What the provider codecs share: reading request JSON with errors that name the field, the SSE-to-JSON
 * stream decoding loop, provider error mapping, tool-argument JSON and id generation.
 */
@NullMarked
package dev.tollway.edge.provider.wire;

import org.jspecify.annotations.NullMarked;
