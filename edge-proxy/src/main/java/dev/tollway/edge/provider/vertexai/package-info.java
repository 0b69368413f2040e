/**
 * Google Vertex AI's publisher models: Gemini through the Gemini codec and Claude through the Anthropic
 * Messages codec, and OAuth2 access tokens from service-account credentials, cached and refreshed off the IO
 * threads.
 */
@NullMarked
package dev.tollway.edge.provider.vertexai;

import org.jspecify.annotations.NullMarked;
