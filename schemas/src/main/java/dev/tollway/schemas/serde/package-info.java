/** JSON encoding of the contract records, shared by every service and by the Kafka serdes. */
@NullMarked
package dev.tollway.schemas.serde;

import org.jspecify.annotations.NullMarked;
