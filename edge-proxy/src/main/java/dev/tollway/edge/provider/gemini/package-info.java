/**
 * Gemini's native {@code generateContent} / {@code streamGenerateContent} API: the codec of its wire format
 * and its protocol.
 */
@NullMarked
package dev.tollway.edge.provider.gemini;

import org.jspecify.annotations.NullMarked;
