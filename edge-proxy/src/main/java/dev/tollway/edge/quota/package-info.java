/**
 * Budget enforcement: the quota decisions of usage-streams, read from the compacted {@code tollway.quota.v1}
 * and held in memory (and on disk), and the check of a request's API key, team and route against them.
 */
@NullMarked
package dev.tollway.edge.quota;

import org.jspecify.annotations.NullMarked;
