/** Client API keys: the keys of a snapshot indexed by digest, and the check of the key a request presents. */
@NullMarked
package dev.tollway.edge.auth;

import org.jspecify.annotations.NullMarked;
