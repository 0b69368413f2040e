/** Azure OpenAI: its endpoints (v1 and deployment paths), its {@code api-key} header and its errors, over the OpenAI chat codec. */
@NullMarked
package dev.tollway.edge.provider.azureopenai;

import org.jspecify.annotations.NullMarked;
