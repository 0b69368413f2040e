package dev.tollway.edge.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.schemas.snapshot.Provider.ProviderType;
import org.junit.jupiter.api.Test;

class ProtocolLookupTest {

  @Test
  void shouldFindTheProtocolsRegisteredAsServices() {
    ProtocolLookup installed = ProtocolLookup.installed();

    assertThat(installed.find(ProviderType.openai)).hasValueSatisfying(p -> assertThat(p.otelName()).isEqualTo("openai"));
    assertThat(installed.find(ProviderType.bedrock)).isEmpty();
  }
}
