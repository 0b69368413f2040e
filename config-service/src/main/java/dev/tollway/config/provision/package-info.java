/** Provisioning the edge-proxy Deployment, Service and key Secret of each accepted Gateway of an owned class. */
@NullMarked
package dev.tollway.config.provision;

import org.jspecify.annotations.NullMarked;
