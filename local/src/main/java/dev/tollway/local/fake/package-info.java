/**
 * Fake LLM providers on one local HTTP server: OpenAI (Chat Completions, Responses), Azure OpenAI, Anthropic
 * Messages, Gemini generateContent, Amazon Bedrock (Converse, ConverseStream, InvokeModel embeddings) and Google
 * Vertex AI (Gemini and Claude models, with a fake Google token endpoint) in their real wire formats, streaming
 * included, checking credentials as the real services do, with deterministic answers, failure injection and a
 * record of every request received.
 */
@NullMarked
package dev.tollway.local.fake;

import org.jspecify.annotations.NullMarked;
