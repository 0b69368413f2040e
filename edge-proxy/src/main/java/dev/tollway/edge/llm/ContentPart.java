package dev.tollway.edge.llm;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/** A part of a message's content. */
public sealed interface ContentPart {

  /** Plain text. */
  record Text(String text) implements ContentPart {
    public Text {
      requireNonNull(text, "text");
    }
  }

  /**
   * An image, either by URL or inline.
   *
   * @param url an {@code http(s)} URL, if the image is referenced
   * @param mediaType the media type of inline data, such as {@code image/png}
   * @param base64Data inline data, base64
   * @param detail OpenAI's {@code detail} hint, if given
   */
  record Image(@Nullable String url, @Nullable String mediaType, @Nullable String base64Data, @Nullable String detail)
      implements ContentPart {}

  /**
   * Reasoning ("thinking") content the model produced.
   *
   * @param text the reasoning text (may be empty when redacted)
   * @param signature the provider's signature, needed to send the thinking back (Anthropic)
   */
  record Reasoning(String text, @Nullable String signature) implements ContentPart {
    public Reasoning {
      requireNonNull(text, "text");
    }
  }
}
