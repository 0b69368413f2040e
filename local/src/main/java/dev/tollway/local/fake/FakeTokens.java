package dev.tollway.local.fake;

import static java.util.Objects.requireNonNull;

/**
 * The fake providers' tokenizer: one token per started group of four characters (Unicode code points), so
 * {@code count("")} is 0, {@code count("abcd")} is 1 and {@code count("abcde")} is 2. Input tokens are the sum
 * of the counts of each text fragment of the request (see each provider's parser); output tokens are the count
 * of the answer text, or of the tool call's arguments as compact JSON.
 */
public final class FakeTokens {

  /** Characters per token. */
  public static final int CHARS_PER_TOKEN = 4;

  private FakeTokens() {}

  public static int count(String text) {
    requireNonNull(text, "text");
    int chars = text.codePointCount(0, text.length());
    return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }

  /** The longest prefix of {@code text} that counts at most {@code tokens} tokens. */
  static String truncate(String text, int tokens) {
    int chars = tokens * CHARS_PER_TOKEN;
    if (text.codePointCount(0, text.length()) <= chars) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, chars));
  }
}
