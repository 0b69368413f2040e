package dev.tollway.usage.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentEventIdsTest {

  private static final long START = 1_795_000_000_000L;

  @Test
  void shouldNotCoverTimesAnEarlierRunOfTheTaskMayHaveStored() {
    // Given ids of a task that started at stream time START
    RecentEventIds ids = new RecentEventIds(START);

    // Then times up to START may be in the store only, later times are covered
    assertThat(ids.covers(START - 1)).isFalse();
    assertThat(ids.covers(START)).isFalse();
    assertThat(ids.covers(START + 1)).isTrue();
  }

  @Test
  void shouldHoldEveryIdAddedAndTellNewIdsApart() {
    // Given 100,000 ids over two seconds (the tables grow many times over)
    RecentEventIds ids = new RecentEventIds(START);
    for (int i = 0; i < 100_000; i++) {
      ids.remember("event-" + i, START + 1 + i % 2_000);
    }

    // Then each is held at its own time, and ids never added are (nearly all) not
    assertThat(ids.size()).isEqualTo(100_000);
    for (int i = 0; i < 100_000; i++) {
      assertThat(ids.mayHold("event-" + i, START + 1 + i % 2_000)).as("event-%d", i).isTrue();
    }
    long falseHints = 0;
    for (int i = 100_000; i < 200_000; i++) {
      if (ids.mayHold("event-" + i, START + 1 + i % 2_000)) {
        falseHints++;
      }
    }
    assertThat(falseHints).isZero();
    // and an id is held at its second only
    assertThat(ids.mayHold("event-0", START + 5_000)).isFalse();
  }

  @Test
  void shouldForgetSecondsOlderThanTheSpanAndStopCoveringThem() {
    // Given ids at two times three seconds apart
    RecentEventIds ids = new RecentEventIds(START);
    long first = START + 1_000;
    long second = first + 3_000;
    ids.remember("a", first);
    ids.remember("b", second);

    // When stream time moves the span past the first second, but not past the second
    ids.advance(second + RecentEventIds.SPAN - 1_000);

    // Then the first second is forgotten and no longer covered, the second still is
    assertThat(ids.covers(first)).isFalse();
    assertThat(ids.mayHold("a", first)).isFalse();
    assertThat(ids.covers(second)).isTrue();
    assertThat(ids.mayHold("b", second)).isTrue();
    assertThat(ids.size()).isEqualTo(1);
    // and an id added late for a forgotten second is not kept
    ids.remember("late", first);
    assertThat(ids.size()).isEqualTo(1);
  }

  @Test
  void shouldNeverHashToZeroTheMarkOfAFreeSlot() {
    assertThat(RecentEventIds.hash("")).isNotZero();
    assertThat(RecentEventIds.hash("a")).isNotEqualTo(RecentEventIds.hash("b"));
  }
}
