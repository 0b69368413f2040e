package dev.tollway.edge.llm;

/** Why the model stopped, in OpenAI's vocabulary. */
public enum FinishReason {
  /** Natural end or a stop sequence. */
  stop,
  /** The output token limit was reached. */
  length,
  /** The model called tools. */
  tool_calls,
  /** Content was filtered or refused. */
  content_filter
}
