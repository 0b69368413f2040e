/** Kafka client settings shared by every service: bootstrap servers plus TLS / SASL properties from the environment. */
@NullMarked
package dev.tollway.schemas.kafka;

import org.jspecify.annotations.NullMarked;
