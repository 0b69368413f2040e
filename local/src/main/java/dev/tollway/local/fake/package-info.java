/**
 * Fake LLM providers on one local HTTP server: OpenAI Chat Completions, Anthropic Messages and Gemini
 * generateContent in their real wire formats, streaming included, with deterministic answers, failure injection
 * and a record of every request received.
 */
@NullMarked
package dev.tollway.local.fake;

import org.jspecify.annotations.NullMarked;
