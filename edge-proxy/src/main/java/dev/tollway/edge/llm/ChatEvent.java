package dev.tollway.edge.llm;

import static java.util.Objects.requireNonNull;

import dev.tollway.edge.error.GatewayException;
import org.jspecify.annotations.Nullable;

/**
 * One event of a streamed answer in provider-neutral form. A provider stream decodes into these; the client's
 * stream is encoded from them.
 */
public sealed interface ChatEvent {

  /** The answer begins. Always the first event. */
  record Start(@Nullable String id, @Nullable String model) implements ChatEvent {}

  /** More answer text. */
  record TextDelta(String text) implements ChatEvent {
    public TextDelta {
      requireNonNull(text, "text");
    }
  }

  /** More reasoning text; a signature may close a reasoning block (Anthropic). */
  record ReasoningDelta(String text, @Nullable String signature) implements ChatEvent {
    public ReasoningDelta {
      requireNonNull(text, "text");
    }
  }

  /**
   * A tool call begins.
   *
   * @param index position of the call within the answer's tool calls, from 0
   */
  record ToolCallStart(int index, String id, String name) implements ChatEvent {
    public ToolCallStart {
      requireNonNull(id, "id");
      requireNonNull(name, "name");
    }
  }

  /** More of a tool call's JSON arguments. */
  record ToolCallDelta(int index, String argumentsFragment) implements ChatEvent {
    public ToolCallDelta {
      requireNonNull(argumentsFragment, "argumentsFragment");
    }
  }

  /** Token counts so far. Cumulative: a later {@code Usage} replaces an earlier one. */
  record Usage(TokenCounts counts) implements ChatEvent {
    public Usage {
      requireNonNull(counts, "counts");
    }
  }

  /** The model finished. Usage may still follow. */
  record Finish(FinishReason reason) implements ChatEvent {
    public Finish {
      requireNonNull(reason, "reason");
    }
  }

  /** The provider reported an error inside the stream; nothing follows. */
  record Failure(GatewayException error) implements ChatEvent {
    public Failure {
      requireNonNull(error, "error");
    }
  }

  /** Whether this event carries generated content (for time-to-first-token). */
  default boolean isContent() {
    return this instanceof TextDelta || this instanceof ReasoningDelta || this instanceof ToolCallStart;
  }
}
