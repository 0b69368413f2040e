/** Sealing of provider credentials so that they cross Kafka and disk only encrypted. */
@NullMarked
package dev.tollway.schemas.crypto;

import org.jspecify.annotations.NullMarked;
