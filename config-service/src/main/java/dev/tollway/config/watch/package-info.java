/** Sources of cluster state: a watched folder of Kubernetes YAML (and, later, the Kubernetes API). */
@NullMarked
package dev.tollway.config.watch;

import org.jspecify.annotations.NullMarked;
