/**
 * LLM providers: where each provider's API lives, how it authenticates, and (one package per provider) the
 * codec of its wire format.
 */
@NullMarked
package dev.tollway.edge.provider;

import org.jspecify.annotations.NullMarked;
