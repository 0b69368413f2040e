package dev.tollway.edge.provider.openai;

import org.jspecify.annotations.Nullable;

/** An inline image as OpenAI carries it: {@code data:<media type>;base64,<data>}. */
record DataUrl(String mediaType, String base64) {

  static @Nullable DataUrl parse(String url) {
    if (!url.startsWith("data:")) {
      return null;
    }
    int comma = url.indexOf(',');
    if (comma < 0) {
      return null;
    }
    String header = url.substring(5, comma);
    if (!header.endsWith(";base64")) {
      return null;
    }
    String mediaType = header.substring(0, header.length() - ";base64".length());
    if (mediaType.isEmpty() || mediaType.indexOf('/') < 0) {
      return null;
    }
    return new DataUrl(mediaType, url.substring(comma + 1));
  }

  String url() {
    return "data:" + mediaType + ";base64," + base64;
  }
}
