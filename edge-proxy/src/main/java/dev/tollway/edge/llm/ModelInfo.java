package dev.tollway.edge.llm;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A model a client can ask for through a route.
 *
 * @param id the name to put in {@code model}
 * @param ownedBy who serves it: the provider type ({@code openai}, {@code anthropic}, ...), or
 *     {@code tollway} for an alias the gateway resolves
 * @param created when the provider says it was created (epoch seconds), if it said
 * @param displayName a human name, if the provider gave one
 */
public record ModelInfo(String id, String ownedBy, @Nullable Long created, @Nullable String displayName) {
  public ModelInfo {
    requireNonNull(id, "id");
    requireNonNull(ownedBy, "ownedBy");
  }
}
