package dev.tollway.schemas.snapshot;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The forms of {@link HealthPolicy#unhealthyCondition()} that Tollway understands: agentgateway's CEL
 * expression narrowed to what decides on an upstream status — comparisons of {@code response.code} with whole
 * numbers ({@code ==}, {@code !=}, {@code <}, {@code <=}, {@code >}, {@code >=}), {@code response.code in [429,
 * 503]}, {@code true} / {@code false}, joined with {@code &&}, {@code ||}, {@code !} and parentheses. For example
 * {@code response.code >= 500 || response.code == 429}. Anything else is refused when parsed, so config-service
 * reports it on the resource and edge-proxy never meets it. Parsing is bounded (length and nesting) and
 * evaluation is a plain predicate on the status: safe on any input.
 */
public final class UnhealthyCondition {

  /** The longest expression accepted, in characters. */
  public static final int MAX_LENGTH = 1024;

  private static final int MAX_DEPTH = 16;

  /** Without a condition: a 5xx or a 429 is a failure (connection failures and timeouts always are). */
  public static final UnhealthyCondition DEFAULT = parse("response.code >= 500 || response.code == 429");

  private final String source;
  private final IntPredicate predicate;

  private UnhealthyCondition(String source, IntPredicate predicate) {
    this.source = source;
    this.predicate = predicate;
  }

  /**
   * Parses an expression.
   *
   * @throws IllegalArgumentException saying what was expected where, such as {@code at 16: "foo" (expected:
   *     response.code, true, false, ! or a parenthesis)}
   */
  public static UnhealthyCondition parse(String expression) {
    requireNonNull(expression, "expression");
    if (expression.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          expression.length() + " characters (expected: at most " + MAX_LENGTH + ")");
    }
    Parser parser = new Parser(tokenize(expression));
    IntPredicate predicate = parser.or(0);
    parser.expectEnd();
    return new UnhealthyCondition(expression.strip(), predicate);
  }

  /** The condition of a policy: its own, or {@link #DEFAULT} when it sets none. */
  public static UnhealthyCondition of(HealthPolicy policy) {
    String expression = policy.unhealthyCondition();
    return expression == null || expression.isBlank() ? DEFAULT : parse(expression);
  }

  /** Whether an upstream answer with this status counts as a failure. */
  public boolean isFailure(int status) {
    return predicate.test(status);
  }

  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "UnhealthyCondition[" + source + "]";
  }

  private record Token(String text, int at) {}

  private static List<Token> tokenize(String s) {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      int start = i;
      if (Character.isDigit(c)) {
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
          i++;
        }
      } else if (Character.isLetter(c) || c == '_') {
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.')) {
          i++;
        }
      } else if (s.startsWith("&&", i) || s.startsWith("||", i) || s.startsWith("==", i) || s.startsWith("!=", i)
          || s.startsWith("<=", i) || s.startsWith(">=", i)) {
        i += 2;
      } else if ("()[],<>!".indexOf(c) >= 0) {
        i++;
      } else {
        throw new IllegalArgumentException("at " + i + ": unexpected character '" + c + "'");
      }
      tokens.add(new Token(s.substring(start, i), start));
    }
    return tokens;
  }

  private static final class Parser {
    private final List<Token> tokens;
    private int pos;

    Parser(List<Token> tokens) {
      this.tokens = tokens;
    }

    IntPredicate or(int depth) {
      IntPredicate left = and(depth);
      while (accept("||")) {
        IntPredicate a = left;
        IntPredicate b = and(depth);
        left = code -> a.test(code) || b.test(code);
      }
      return left;
    }

    IntPredicate and(int depth) {
      IntPredicate left = unary(depth);
      while (accept("&&")) {
        IntPredicate a = left;
        IntPredicate b = unary(depth);
        left = code -> a.test(code) && b.test(code);
      }
      return left;
    }

    IntPredicate unary(int depth) {
      if (depth > MAX_DEPTH) {
        throw new IllegalArgumentException("nested deeper than " + MAX_DEPTH + " levels");
      }
      if (accept("!")) {
        IntPredicate inner = unary(depth + 1);
        return inner.negate();
      }
      if (accept("(")) {
        IntPredicate inner = or(depth + 1);
        expect(")");
        return inner;
      }
      if (accept("true")) {
        return code -> true;
      }
      if (accept("false")) {
        return code -> false;
      }
      if (peekIsNumber()) {
        long number = number();
        String op = operator();
        expect("response.code");
        return compare(flip(op), number);
      }
      if (accept("response.code")) {
        if (accept("in")) {
          return in();
        }
        String op = operator();
        return compare(op, number());
      }
      throw unexpected("response.code, a number, true, false, ! or a parenthesis");
    }

    private IntPredicate in() {
      expect("[");
      List<Long> values = new ArrayList<>();
      if (!accept("]")) {
        do {
          values.add(number());
        } while (accept(","));
        expect("]");
      }
      long[] set = values.stream().mapToLong(Long::longValue).toArray();
      return code -> {
        for (long v : set) {
          if (v == code) {
            return true;
          }
        }
        return false;
      };
    }

    private static IntPredicate compare(String op, long n) {
      return switch (op) {
        case "==" -> code -> code == n;
        case "!=" -> code -> code != n;
        case "<" -> code -> code < n;
        case "<=" -> code -> code <= n;
        case ">" -> code -> code > n;
        default -> code -> code >= n;
      };
    }

    private static String flip(String op) {
      return switch (op) {
        case "<" -> ">";
        case "<=" -> ">=";
        case ">" -> "<";
        case ">=" -> "<=";
        default -> op;
      };
    }

    private String operator() {
      Token t = peek();
      if (t != null && List.of("==", "!=", "<", "<=", ">", ">=").contains(t.text())) {
        pos++;
        return t.text();
      }
      throw unexpected("a comparison (==, !=, <, <=, >, >=)");
    }

    private boolean peekIsNumber() {
      Token t = peek();
      return t != null && Character.isDigit(t.text().charAt(0));
    }

    private long number() {
      Token t = peek();
      if (t == null || !Character.isDigit(t.text().charAt(0)) || t.text().length() > 9) {
        throw unexpected("a whole number (at most 9 digits)");
      }
      pos++;
      return Long.parseLong(t.text());
    }

    private boolean accept(String text) {
      Token t = peek();
      if (t != null && t.text().equals(text)) {
        pos++;
        return true;
      }
      return false;
    }

    private void expect(String text) {
      if (!accept(text)) {
        throw unexpected(text);
      }
    }

    void expectEnd() {
      if (pos < tokens.size()) {
        throw unexpected("the end of the expression, && or ||");
      }
    }

    private Token peek() {
      return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private IllegalArgumentException unexpected(String expected) {
      Token t = peek();
      if (t == null) {
        return new IllegalArgumentException("at the end: (expected: " + expected + ")");
      }
      String text = t.text().length() > 20 ? t.text().substring(0, 20) + "..." : t.text();
      return new IllegalArgumentException("at " + t.at() + ": \"" + text + "\" (expected: " + expected + ")");
    }
  }
}
