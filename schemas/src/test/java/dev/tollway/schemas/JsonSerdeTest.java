package dev.tollway.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.usage.UsageEvent;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {

  @Test
  void tombstonesShouldStayNull() {
    assertThat(Topics.CONFIG.serde().serialize("t", null)).isNull();
    assertThat(Topics.CONFIG.serde().deserialize("t", null)).isNull();
  }

  @Test
  void aMalformedRecordShouldFailWithTheTopicAndTypeNamed() {
    byte[] garbage = "{\"schemaVersion\":1,\"eventId\":".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Topics.USAGE.serde().deserialize("tollway.usage.v1", garbage))
        .isInstanceOf(SerializationException.class)
        .hasMessageStartingWith("tollway.usage.v1: not a valid UsageEvent");
  }

  @Test
  void aRecordMissingARequiredFieldShouldFail() {
    byte[] noGateway = "{\"schemaVersion\":1,\"eventId\":\"e\",\"requestId\":\"r\"}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> Topics.USAGE.serde().deserialize("tollway.usage.v1", noGateway))
        .isInstanceOf(SerializationException.class);
  }

  @Test
  void unknownFieldsShouldBeIgnoredSoAddingAFieldIsNotBreaking() {
    UsageEvent event = ContractSchemasTest.sampleUsageEvent();
    String json = new String(Topics.USAGE.serde().serialize("t", event), StandardCharsets.UTF_8);
    String withExtra = json.replaceFirst("\\{", "{\"addedLater\":42,");

    assertThat(Topics.USAGE.serde().deserialize("t", withExtra.getBytes(StandardCharsets.UTF_8))).isEqualTo(event);
  }
}
