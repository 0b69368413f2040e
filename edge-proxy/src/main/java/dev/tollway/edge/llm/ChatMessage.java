package dev.tollway.edge.llm;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One message of a conversation.
 *
 * @param role who speaks
 * @param content the message's content parts, in order
 * @param toolCalls tool calls made by an assistant message
 * @param toolCallId for a {@link Role#tool} message, the call it answers
 * @param name optional participant name (OpenAI {@code name}), or the tool's name for a tool result
 */
public record ChatMessage(
    Role role,
    List<ContentPart> content,
    List<ToolCall> toolCalls,
    @Nullable String toolCallId,
    @Nullable String name) {

  public ChatMessage {
    requireNonNull(role, "role");
    content = List.copyOf(content);
    toolCalls = List.copyOf(toolCalls);
  }

  public static ChatMessage text(Role role, String text) {
    return new ChatMessage(role, List.of(new ContentPart.Text(text)), List.of(), null, null);
  }

  /** The concatenated text parts. */
  public String text() {
    StringBuilder out = new StringBuilder();
    for (ContentPart part : content) {
      if (part instanceof ContentPart.Text t) {
        out.append(t.text());
      }
    }
    return out.toString();
  }

  /** Conversation roles. {@code system} covers OpenAI's {@code developer} role too. */
  public enum Role {
    system,
    user,
    assistant,
    tool
  }
}
