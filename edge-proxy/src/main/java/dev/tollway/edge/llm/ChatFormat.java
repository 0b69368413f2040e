package dev.tollway.edge.llm;

/**
 * The chat wire formats Tollway speaks. The first four are spoken on either side; the last two only to
 * providers, so no client codec ever has them and a response decoded from them is always re-encoded.
 */
public enum ChatFormat {
  /** OpenAI {@code /v1/chat/completions}. */
  OPENAI_CHAT,
  /** OpenAI {@code /v1/responses}. */
  OPENAI_RESPONSES,
  /** Anthropic {@code /v1/messages}. */
  ANTHROPIC_MESSAGES,
  /** Gemini {@code generateContent} / {@code streamGenerateContent}. */
  GEMINI_GENERATE_CONTENT,
  /** Amazon Bedrock {@code Converse} / {@code ConverseStream} (provider side only). */
  BEDROCK_CONVERSE,
  /**
   * Vertex AI's publisher models (provider side only): Gemini {@code generateContent} or Anthropic
   * {@code rawPredict}, chosen by the model. Its answers decode to the format they are in.
   */
  VERTEX_AI
}
