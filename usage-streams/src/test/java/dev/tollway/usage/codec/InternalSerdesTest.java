package dev.tollway.usage.codec;

import static dev.tollway.usage.testing.Events.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollway.schemas.budget.Budget;
import dev.tollway.schemas.serde.Json;
import dev.tollway.schemas.usage.SpendDimensions;
import dev.tollway.schemas.usage.UsageDimensions;
import dev.tollway.schemas.usage.UsageEvent;
import dev.tollway.usage.aggregate.UsageCounts;
import dev.tollway.usage.quota.Charge;
import dev.tollway.usage.quota.Subject;
import dev.tollway.usage.quota.WindowUsage;
import dev.tollway.usage.spend.SpendCounts;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The binary forms of usage-streams' internal values: round trips, corrupt input, and the JSON of earlier versions. */
class InternalSerdesTest {

  private static final String TOPIC = "internal";

  static Stream<Arguments> values() {
    return Stream.of(
        Arguments.of(InternalSerdes.TEXT, "apiKey:default/team-keys/checkout"),
        Arguments.of(InternalSerdes.TEXT, ""),
        Arguments.of(
            InternalSerdes.USAGE_DIMENSIONS,
            new UsageDimensions("default/agentgateway", "default/llm-route#0", "default/openai", "openai", "gpt-4o-mini")),
        Arguments.of(InternalSerdes.USAGE_DIMENSIONS, new UsageDimensions("", "", "", "", "")),
        Arguments.of(InternalSerdes.USAGE_DIMENSIONS, new UsageDimensions("ns/gw", "ns/ルート#1", "ns/b", "gemini", "models/é")),
        Arguments.of(InternalSerdes.USAGE_COUNTS, new UsageCounts(3, 1, 25_140, 20_480, 0, 504, 0, 25_644)),
        Arguments.of(InternalSerdes.USAGE_COUNTS, new UsageCounts(Long.MAX_VALUE, Long.MIN_VALUE, -1, 0, 1, 63, 64, -64)),
        Arguments.of(
            InternalSerdes.SPEND_DIMENSIONS,
            new SpendDimensions("default/keys/checkout", "", "payments", "gpt-4o", "openai", "default/r#0", "default/gw")),
        Arguments.of(
            InternalSerdes.SPEND_COUNTS,
            new SpendCounts("checkout", 120, 2, 251_400, 204_800, 0, 5_040, 0, 256_440, 276_840_000L, 1, 3)),
        Arguments.of(InternalSerdes.SUBJECT, new Subject(Budget.SubjectType.route, "default/llm-route")),
        Arguments.of(
            InternalSerdes.CHARGE, new Charge(new Subject(Budget.SubjectType.team, "payments"), 15_000, 20_000_000L, 2)),
        Arguments.of(InternalSerdes.WINDOW_USAGE, new WindowUsage(40_000, 9_999_999_999L, 0)));
  }

  @ParameterizedTest
  @MethodSource("values")
  <T> void shouldReadBackWhatItWrote(BinarySerde<T> serde, T value) {
    // When
    byte[] bytes = serde.serialize(TOPIC, value);

    // Then
    assertThat(bytes[0] & 0xFF).isEqualTo(BinarySerde.FORMAT);
    assertThat(serde.deserialize(TOPIC, bytes)).isEqualTo(value);
  }

  @ParameterizedTest
  @MethodSource("values")
  <T> void shouldRejectEveryTruncationAndTrailingBytesNamingTheType(BinarySerde<T> serde, T value) {
    // Given a valid encoding
    byte[] bytes = serde.serialize(TOPIC, value);

    // Then every shorter prefix fails with a decoding error that names the type, and so do extra bytes
    for (int length = 0; length < bytes.length; length++) {
      byte[] prefix = Arrays.copyOf(bytes, length);
      assertThatThrownBy(() -> serde.deserialize(TOPIC, prefix))
          .as("the first %d of %d bytes", length, bytes.length)
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("cannot decode " + serde.name());
    }
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> serde.deserialize(TOPIC, longer))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void shouldPassNullThroughAsATombstone() {
    assertThat(InternalSerdes.USAGE_COUNTS.serialize(TOPIC, null)).isNull();
    assertThat(InternalSerdes.USAGE_COUNTS.deserialize(TOPIC, null)).isNull();
  }

  @Test
  void shouldRejectAnUnknownFormatByte() {
    assertThatThrownBy(() -> InternalSerdes.WINDOW_USAGE.deserialize(TOPIC, new byte[] {0x02, 0, 0, 0}))
        .isInstanceOf(SerializationException.class)
        .hasMessage("cannot decode window usage: unknown format byte 0x2");
  }

  @Test
  void shouldRejectJsonWhereNoEarlierVersionWroteJson() {
    byte[] json = "{\"gateway\":\"g\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> InternalSerdes.USAGE_DIMENSIONS.deserialize(TOPIC, json))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("unknown format byte 0x7b");
  }

  @Test
  void shouldRejectAStringLongerThanTheBytesLeft() {
    byte[] bytes = {(byte) BinarySerde.FORMAT, 0x7E, 'a', 'b'}; // length 63 (zig-zag), two bytes left
    assertThatThrownBy(() -> InternalSerdes.TEXT.deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("a string of 63 bytes where 2 are left");
  }

  @Test
  void shouldRejectANumberLongerThanTenBytes() {
    byte[] bytes = new byte[12];
    Arrays.fill(bytes, (byte) 0xFF);
    bytes[0] = (byte) BinarySerde.FORMAT;
    assertThatThrownBy(() -> InternalSerdes.WINDOW_USAGE.deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("a number longer than 10 bytes");
  }

  @Test
  void shouldRejectValuesTheTypeDoesNotAllow() {
    // an unknown subject type, and a subject with an empty id
    byte[] unknownType = new BinaryWriter().writeByte(BinarySerde.FORMAT).writeLong(7).writeString("x").toByteArray();
    byte[] emptyId = new BinaryWriter().writeByte(BinarySerde.FORMAT).writeLong(0).writeString("").toByteArray();
    assertThatThrownBy(() -> InternalSerdes.SUBJECT.deserialize(TOPIC, unknownType))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot decode subject: 7 where 0 to 2 was expected");
    assertThatThrownBy(() -> InternalSerdes.SUBJECT.deserialize(TOPIC, emptyId))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("cannot decode subject")
        .hasMessageContaining("id: empty");
  }

  @Test
  void shouldReadTheJsonThatEarlierVersionsWroteToStoresAndRepartitionTopics() {
    // Given values as the JSON serdes of earlier versions wrote them
    UsageCounts counts = new UsageCounts(2, 0, 300, 0, 0, 30, 0, 330);
    SpendCounts spend = new SpendCounts("checkout", 1, 0, 100, 0, 0, 10, 0, 110, 5_000L, 0, 0);
    WindowUsage usage = new WindowUsage(110, 5_000L, 1);
    UsageEvent event = event("e1", "2026-11-26T10:00:00Z").tokens(1_000, 200).build();
    byte[] oldCharge =
        "{\"subject\":{\"type\":\"apiKey\",\"id\":\"key-a\"},\"tokens\":1200,\"nanoUsd\":7000,\"unpriced\":true}"
            .getBytes(StandardCharsets.UTF_8);

    // Then they read as the same values
    assertThat(InternalSerdes.USAGE_COUNTS.deserialize(TOPIC, Json.toBytes(counts))).isEqualTo(counts);
    assertThat(InternalSerdes.SPEND_COUNTS.deserialize(TOPIC, Json.toBytes(spend))).isEqualTo(spend);
    assertThat(InternalSerdes.WINDOW_USAGE.deserialize(TOPIC, Json.toBytes(usage))).isEqualTo(usage);
    // the minute repartition topic carried whole events
    assertThat(InternalSerdes.USAGE_COUNTS.deserialize(TOPIC, Json.toBytes(event))).isEqualTo(UsageCounts.of(event));
    // a charge had a flag where it now has a count
    assertThat(InternalSerdes.CHARGE.deserialize(TOPIC, oldCharge))
        .isEqualTo(new Charge(new Subject(Budget.SubjectType.apiKey, "key-a"), 1_200, 7_000, 1));
  }

  @Test
  void shouldRejectBrokenJsonOfEarlierVersionsAsADecodingError() {
    for (BinarySerde<?> serde : List.of(InternalSerdes.USAGE_COUNTS, InternalSerdes.CHARGE)) {
      assertThatThrownBy(() -> serde.deserialize(TOPIC, "{\"tokens\":".getBytes(StandardCharsets.UTF_8)))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("cannot decode");
    }
  }

  @Test
  void shouldWriteSmallCountsInOneByteEach() {
    byte[] bytes = InternalSerdes.WINDOW_USAGE.serialize(TOPIC, new WindowUsage(1, 2, 3));
    assertThat(bytes).hasSize(4);
  }
}
