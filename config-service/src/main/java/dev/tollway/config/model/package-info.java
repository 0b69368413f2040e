/**
 * The input of the compiler: the Kubernetes resources config-service reads, as fabric8 objects, and a
 * validating reader for custom resources.
 */
@NullMarked
package dev.tollway.config.model;

import org.jspecify.annotations.NullMarked;
