/** Daily spend: requests, tokens and cost summed per key, team, model, provider, route and calendar day. */
@NullMarked
package dev.tollway.usage.spend;

import org.jspecify.annotations.NullMarked;
