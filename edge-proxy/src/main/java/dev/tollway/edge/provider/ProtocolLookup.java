package dev.tollway.edge.provider;

import static java.util.Objects.requireNonNull;

import dev.tollway.schemas.snapshot.Provider;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Finds the protocol that serves a provider type; empty when this build has none for it. */
@FunctionalInterface
public interface ProtocolLookup {

  Optional<ProviderProtocol> find(Provider.ProviderType type);

  /** A lookup over a fixed set of protocols (the last one of a type wins). */
  static ProtocolLookup of(Iterable<? extends ProviderProtocol> protocols) {
    Map<Provider.ProviderType, ProviderProtocol> byType = new EnumMap<>(Provider.ProviderType.class);
    for (ProviderProtocol protocol : protocols) {
      byType.put(requireNonNull(protocol.type(), "type"), protocol);
    }
    return type -> Optional.ofNullable(byType.get(type));
  }
}
