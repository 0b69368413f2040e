/**
 * The AI policy of a backend ({@code spec.policies.ai}) applied to a request: body defaults and overrides,
 * prompt enrichment in the client's API, and the model sent to the provider (provider model, overrides,
 * defaults, aliases). Pure functions of JSON and the snapshot's policy; no I/O.
 */
@NullMarked
package dev.tollway.edge.aipolicy;

import org.jspecify.annotations.NullMarked;
