package dev.tollway.edge.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollway.schemas.quota.QuotaDecision;
import dev.tollway.schemas.quota.QuotaDecision.SubjectType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The decisions in force: set, lifted, expired, kept on disk and confirmed. */
class QuotaBookTest {

  private static final Instant NOW = Instant.parse("2026-11-26T17:00:00Z");

  private static QuotaDecision decision(SubjectType type, String subject, String budget, String until) {
    return new QuotaDecision(1, type, subject, budget, QuotaDecision.Window.day, Instant.parse("2026-11-26T00:00:00Z"),
        Instant.parse("2026-11-27T00:00:00Z"), 11, 10, QuotaDecision.Unit.tokens, Instant.parse(until), NOW);
  }

  private final QuotaBook book = new QuotaBook();

  @Test
  void shouldBlockUntilBlockedUntilAndReportTheLongestOfSeveralBudgets() {
    // Given a team over two budgets
    QuotaDecision daily = decision(SubjectType.team, "payments", "default/daily", "2026-11-27T00:00:00Z");
    QuotaDecision hourly = decision(SubjectType.team, "payments", "default/hourly", "2026-11-26T18:00:00Z");
    book.apply(daily.key(), daily);
    book.apply(hourly.key(), hourly);

    // Then
    assertThat(book.blocking(SubjectType.team, "payments", NOW)).contains(daily);
    assertThat(book.blocking(SubjectType.apiKey, "payments", NOW)).isEmpty();
    assertThat(book.blocking(SubjectType.team, "search", NOW)).isEmpty();
    assertThat(book.blocking(SubjectType.team, "payments", Instant.parse("2026-11-27T00:00:00Z"))).isEmpty();

    // When the daily one is lifted, the hourly one still blocks until 18:00
    book.apply(daily.key(), null);
    assertThat(book.blocking(SubjectType.team, "payments", NOW)).contains(hourly);
    assertThat(book.blocking(SubjectType.team, "payments", Instant.parse("2026-11-26T18:00:00Z"))).isEmpty();
  }

  @Test
  void shouldKeepSubjectsContainingSeparatorsApart() {
    // Given an API key id with slashes and a team with a colon and a bar in its name
    QuotaDecision key = decision(SubjectType.apiKey, "default/keys/alice", "default/daily", "2026-11-27T00:00:00Z");
    QuotaDecision team = decision(SubjectType.team, "a:b|c", "default/daily", "2026-11-27T00:00:00Z");

    // When
    assertThat(book.apply(key.key(), key)).isTrue();
    assertThat(book.apply(team.key(), team)).isTrue();

    // Then
    assertThat(book.blocking(SubjectType.apiKey, "default/keys/alice", NOW)).contains(key);
    assertThat(book.blocking(SubjectType.team, "a:b|c", NOW)).contains(team);
    book.apply("team:a:b|c|default/daily", null);
    assertThat(book.blocking(SubjectType.team, "a:b|c", NOW)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "apiKey", "apiKey:x", "user:x|b", "apiKey:|b", "apiKey:x|", "team:payments|default/other"})
  void shouldRefuseAKeyThatIsMalformedOrNotTheDecisions(String key) {
    // Given
    QuotaDecision decision = decision(SubjectType.team, "payments", "default/daily", "2026-11-27T00:00:00Z");

    // Then
    assertThat(book.apply(key, decision)).isFalse();
    assertThat(book.all()).isEmpty();
  }

  @Test
  void shouldDropKeptDecisionsTheTopicDidNotConfirm() {
    // Given two decisions kept on disk
    QuotaDecision confirmed = decision(SubjectType.apiKey, "k1", "default/daily", "2026-11-27T00:00:00Z");
    QuotaDecision stale = decision(SubjectType.apiKey, "k2", "default/daily", "2026-11-27T00:00:00Z");
    book.loadKept(List.of(confirmed, stale));
    assertThat(book.blocking(SubjectType.apiKey, "k2", NOW)).contains(stale);

    // When the topic holds only the first
    book.apply(confirmed.key(), confirmed);
    int dropped = book.dropUnconfirmed();

    // Then
    assertThat(dropped).isEqualTo(1);
    assertThat(book.blocking(SubjectType.apiKey, "k1", NOW)).contains(confirmed);
    assertThat(book.blocking(SubjectType.apiKey, "k2", NOW)).isEmpty();
    assertThat(book.blockedCount(NOW)).isEqualTo(1);
  }
}
