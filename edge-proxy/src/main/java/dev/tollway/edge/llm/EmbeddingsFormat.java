package dev.tollway.edge.llm;

/** The embeddings wire formats Tollway speaks; only the first is a client API. */
public enum EmbeddingsFormat {
  /** OpenAI {@code /v1/embeddings} (also Azure OpenAI and OpenAI-compatible servers). */
  OPENAI,
  /** Gemini {@code batchEmbedContents}. */
  GEMINI_BATCH,
  /** Vertex AI {@code predict} of a text-embedding model. */
  VERTEX_PREDICT,
  /** Bedrock {@code InvokeModel} of an embedding model (Amazon Titan Text, Cohere Embed), each in its own body. */
  BEDROCK_INVOKE
}
