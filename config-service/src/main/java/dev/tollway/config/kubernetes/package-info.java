/**
 * The Kubernetes API as the source of resources: fabric8 informers whose callbacks only signal, and whose caches
 * one worker reads whole into a {@code ClusterState}.
 */
@NullMarked
package dev.tollway.config.kubernetes;

import org.jspecify.annotations.NullMarked;
