package dev.tollway.edge.llm;

import static java.util.Objects.requireNonNull;

/**
 * A rough count of a chat request's input tokens, for providers without a token counting API: one token per
 * four characters of text (messages, tool definitions, tool call arguments), rounded up, plus four per
 * message for its framing, as OpenAI's own rule of thumb has it. Always reported as an estimate.
 */
public final class TokenEstimate {

  private static final int CHARS_PER_TOKEN = 4;
  private static final int PER_MESSAGE = 4;

  private TokenEstimate() {}

  public static long inputTokens(ChatRequest request) {
    requireNonNull(request, "request");
    long chars = 0;
    long messages = 0;
    for (ChatMessage message : request.messages()) {
      messages++;
      for (ContentPart part : message.content()) {
        if (part instanceof ContentPart.Text text) {
          chars += text.text().length();
        } else if (part instanceof ContentPart.Reasoning reasoning) {
          chars += reasoning.text().length();
        } else if (part instanceof ContentPart.Image) {
          chars += 85L * CHARS_PER_TOKEN; // a low-detail image, as OpenAI counts it
        }
      }
      for (ToolCall call : message.toolCalls()) {
        chars += call.name().length() + call.arguments().length();
      }
    }
    for (ToolDefinition tool : request.tools()) {
      chars += tool.name().length() + (tool.description() == null ? 0 : tool.description().length())
          + tool.parameters().toString().length();
    }
    return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN + messages * PER_MESSAGE;
  }

  /** The tokens of plain texts (embeddings inputs), each counted alone: one per four characters, rounded up. */
  public static long textTokens(Iterable<String> texts) {
    long tokens = 0;
    for (String text : texts) {
      tokens += (text.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
    }
    return tokens;
  }
}
