package dev.tollway.edge.llm;

/** The chat wire formats Tollway speaks, on either side. */
public enum ChatFormat {
  /** OpenAI {@code /v1/chat/completions}. */
  OPENAI_CHAT,
  /** Anthropic {@code /v1/messages}. */
  ANTHROPIC_MESSAGES,
  /** Gemini {@code generateContent} / {@code streamGenerateContent}. */
  GEMINI_GENERATE_CONTENT
}
