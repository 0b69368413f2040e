package dev.tollway.edge.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.schemas.topic.Topics;
import dev.tollway.schemas.usage.TokenUsage;
import dev.tollway.schemas.usage.UsageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsageEventJsonTest {

  private static final String[] PIECES = {
    "a", "Z", "0", "-", "/", "#", " ", "\"", "\\", "\n", "\t", "\r", "\b", "\f", "\u0000", "\u0001", "\u001f",
    "\u007f", "é", "ß", "€", "中文", "\u2028", "\u2029", "😀", "gpt-4o-mini", "default/bench#0", "<script>", "&",
  };

  @Test
  void shouldWriteTheSameBytesAsTheContractSerdeForVariedEvents() {
    // Given events with every optional field present or absent, escapes, non-ASCII text, odd instants, tags
    SplittableRandom random = new SplittableRandom(20261126);
    UsageEventJson json = new UsageEventJson();

    for (int i = 0; i < 5_000; i++) {
      UsageEvent event = event(random);

      // When both write it
      byte[] fast = json.write(event);
      byte[] contract = Topics.USAGE.serde().serialize(Topics.USAGE.name(), event);

      // Then the bytes are the same (null tag values are left out by both, so such an event does not read back
      // equal: the contract's behaviour, kept)
      assertThat(new String(fast, StandardCharsets.UTF_8))
          .as("event %d", i)
          .isEqualTo(new String(contract, StandardCharsets.UTF_8));
      assertThat(fast).isEqualTo(contract);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "1970-01-01T00:00:00Z", "2026-11-26T17:00:00Z", "2026-11-26T17:00:00.100Z", "2026-11-26T17:00:00.000001Z",
    "2026-11-26T17:00:00.000000001Z", "2026-11-26T17:00:00.123456789Z", "2026-11-26T17:00:00.120Z",
    "2024-02-29T23:59:59.999999999Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z",
    "+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59.5Z", "1969-12-31T23:59:59.999999999Z",
  })
  void shouldFormatInstantsAsInstantToString(String text) {
    Instant instant = Instant.parse(text);
    char[] out = new char[30];

    int length = UsageEventJson.iso(instant, out);

    if (instant.atZone(java.time.ZoneOffset.UTC).getYear() > 9999
        || instant.atZone(java.time.ZoneOffset.UTC).getYear() < 0) {
      assertThat(length).isEqualTo(-1);
    } else {
      assertThat(new String(out, 0, length)).isEqualTo(instant.toString());
    }
  }

  private static UsageEvent event(SplittableRandom random) {
    TreeMap<String, @Nullable String> tags = new TreeMap<>();
    int tagCount = random.nextInt(4);
    for (int t = 0; t < tagCount; t++) {
      tags.put(text(random), switch (random.nextInt(10)) {
        case 0 -> "";
        case 1 -> null;
        default -> text(random);
      });
    }
    UsageEvent.Caller caller = random.nextInt(5) == 0
        ? UsageEvent.Caller.anonymous()
        : new UsageEvent.Caller(maybe(random), maybe(random), maybe(random), maybe(random), tags);
    TokenUsage.Source[] sources = TokenUsage.Source.values();
    TokenUsage tokens = new TokenUsage(
        number(random), number(random), number(random), number(random), number(random), number(random),
        sources[random.nextInt(sources.length)], random.nextBoolean());
    return new UsageEvent(
        random.nextInt(3) == 0 ? random.nextInt() : UsageEvent.SCHEMA_VERSION,
        text(random),
        text(random),
        maybe(random),
        random.nextInt(4) == 0 ? random.nextInt() : random.nextInt(4),
        random.nextBoolean(),
        instant(random),
        random.nextBoolean() ? null : instant(random),
        instant(random),
        text(random),
        maybe(random), maybe(random), maybe(random), maybe(random), maybe(random), maybe(random), maybe(random),
        maybe(random), maybe(random), maybe(random),
        random.nextBoolean(),
        caller,
        random.nextInt(3) == 0 ? random.nextInt() : 200 + random.nextInt(400),
        maybe(random),
        tokens);
  }

  private static long number(SplittableRandom random) {
    return switch (random.nextInt(5)) {
      case 0 -> 0;
      case 1 -> random.nextLong();
      case 2 -> random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
      default -> random.nextInt(100_000);
    };
  }

  private static Instant instant(SplittableRandom random) {
    long seconds = switch (random.nextInt(6)) {
      case 0 -> random.nextLong(-62_167_219_200L, 253_402_300_800L); // years 0000 to 9999
      case 1 -> random.nextLong(253_402_300_800L, 31_556_889_864_403_199L); // after 9999
      case 2 -> random.nextLong(-31_557_014_167_219_200L, -62_167_219_200L); // before 0000
      default -> 1_700_000_000L + random.nextLong(200_000_000L);
    };
    int nanos = switch (random.nextInt(4)) {
      case 0 -> 0;
      case 1 -> random.nextInt(1000) * 1_000_000;
      case 2 -> random.nextInt(1_000_000) * 1_000;
      default -> random.nextInt(1_000_000_000);
    };
    return Instant.ofEpochSecond(seconds, nanos);
  }

  private static @Nullable String maybe(SplittableRandom random) {
    return random.nextInt(3) == 0 ? null : text(random);
  }

  private static String text(SplittableRandom random) {
    StringBuilder text = new StringBuilder();
    int pieces = random.nextInt(6);
    for (int p = 0; p < pieces; p++) {
      text.append(PIECES[random.nextInt(PIECES.length)]);
    }
    if (random.nextInt(50) == 0) {
      text.append("x".repeat(3_000)); // longer than one generator buffer segment
    }
    return text.toString();
  }
}
