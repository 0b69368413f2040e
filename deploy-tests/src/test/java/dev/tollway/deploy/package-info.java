/** Tests of deploy/: the Helm charts rendered in-process, the Strimzi manifests, parsed into typed models. */
@NullMarked
package dev.tollway.deploy;

import org.jspecify.annotations.NullMarked;
