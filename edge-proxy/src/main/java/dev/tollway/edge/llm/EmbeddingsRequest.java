package dev.tollway.edge.llm;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An embeddings request in provider-neutral form.
 *
 * @param model the requested model, if any
 * @param texts the texts to embed, in order; empty when the client sent token ids ({@link #tokenInput})
 * @param tokenInput whether the client sent token ids instead of text (OpenAI allows it): such a request can
 *     only go to a provider of the client's own API
 * @param dimensions the size of the vectors, if the client asked for one
 * @param base64 whether the client wants each vector as base64 little-endian float32 (OpenAI
 *     {@code encoding_format: base64}) rather than a list of numbers
 * @param user an end-user id the client passed
 * @param format the wire format the request was decoded from
 * @param original the body as the client sent it
 */
public record EmbeddingsRequest(
    @Nullable String model,
    List<String> texts,
    boolean tokenInput,
    @Nullable Integer dimensions,
    boolean base64,
    @Nullable String user,
    EmbeddingsFormat format,
    JsonNode original) {

  public EmbeddingsRequest {
    texts = List.copyOf(texts);
    requireNonNull(format, "format");
    requireNonNull(original, "original");
  }

  /** The same request for another model. */
  public EmbeddingsRequest withModel(@Nullable String newModel) {
    return new EmbeddingsRequest(newModel, texts, tokenInput, dimensions, base64, user, format, original);
  }

  /**
   * The same request for the texts {@code from} (inclusive) to {@code to} (exclusive), for a provider that
   * takes fewer inputs per call than the client sent; the client's body is kept with its {@code input}
   * replaced by those texts, so every encoder sees one consistent request.
   *
   * @throws IllegalArgumentException for token input (it is never split) or a range outside the texts
   */
  public EmbeddingsRequest slice(int from, int to) {
    if (tokenInput) {
      throw new IllegalArgumentException("token input is never split");
    }
    if (from < 0 || to > texts.size() || from >= to) {
      throw new IllegalArgumentException("texts " + from + ".." + to + " of " + texts.size());
    }
    List<String> part = texts.subList(from, to);
    JsonNode body = original;
    if (original instanceof ObjectNode object) {
      ObjectNode copy = object.deepCopy();
      ArrayNode input = copy.putArray("input");
      part.forEach(input::add);
      body = copy;
    }
    return new EmbeddingsRequest(model, part, false, dimensions, base64, user, format, body);
  }

  /** How many inputs the request has (texts, or token-id lists). */
  public int inputCount() {
    if (!tokenInput) {
      return texts.size();
    }
    JsonNode input = original.path("input");
    return input.isArray() && !input.isEmpty() && input.get(0).isArray() ? input.size() : 1;
  }
}
