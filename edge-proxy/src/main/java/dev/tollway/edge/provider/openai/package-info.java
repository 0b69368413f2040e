/** OpenAI Chat Completions ({@code /v1/chat/completions}): the codec of its wire format and its protocol. */
@NullMarked
package dev.tollway.edge.provider.openai;

import org.jspecify.annotations.NullMarked;
