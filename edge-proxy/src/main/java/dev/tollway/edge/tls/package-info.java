/** HTTPS listeners: certificates and keys from PEM, chosen per connection by the name the client asks for (SNI). */
@NullMarked
package dev.tollway.edge.tls;

import org.jspecify.annotations.NullMarked;
