/** Creating the topics of {@code schemas/} at start, unless the deployment declares them (Strimzi). */
@NullMarked
package dev.tollway.config.topics;

import org.jspecify.annotations.NullMarked;
