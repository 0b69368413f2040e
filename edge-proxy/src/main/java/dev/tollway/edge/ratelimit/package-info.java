/** Local rate limits: lock-free token buckets per limit and caller, admission, token debits and eviction. */
@NullMarked
package dev.tollway.edge.ratelimit;

import org.jspecify.annotations.NullMarked;
