package dev.tollway.edge.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.llm.ModelInfo;
import dev.tollway.schemas.serde.Json;
import java.time.Instant;
import java.util.List;

/**
 * A model list as each client API writes it: OpenAI's {@code {"object": "list", "data": [{"id", "object",
 * "created", "owned_by"}]}}, Anthropic's {@code {"data": [{"type": "model", "id", "display_name",
 * "created_at"}], "has_more", "first_id", "last_id"}} and Gemini's {@code {"models": [{"name": "models/...",
 * "displayName", "supportedGenerationMethods"}]}}.
 */
final class ModelLists {

  private ModelLists() {}

  /** Which list shape a client gets. */
  enum Shape {
    OPENAI,
    ANTHROPIC,
    GEMINI
  }

  static ObjectNode encode(Shape shape, List<ModelInfo> models) {
    return switch (shape) {
      case OPENAI -> openAi(models);
      case ANTHROPIC -> anthropic(models);
      case GEMINI -> gemini(models);
    };
  }

  private static ObjectNode openAi(List<ModelInfo> models) {
    ObjectNode body = Json.mapper().createObjectNode().put("object", "list");
    ArrayNode data = body.putArray("data");
    for (ModelInfo model : models) {
      data.addObject()
          .put("id", model.id())
          .put("object", "model")
          .put("created", model.created() == null ? 0 : model.created())
          .put("owned_by", model.ownedBy());
    }
    return body;
  }

  private static ObjectNode anthropic(List<ModelInfo> models) {
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode data = body.putArray("data");
    for (ModelInfo model : models) {
      data.addObject()
          .put("type", "model")
          .put("id", model.id())
          .put("display_name", model.displayName() == null ? model.id() : model.displayName())
          .put("created_at", Instant.ofEpochSecond(model.created() == null ? 0 : model.created()).toString());
    }
    body.put("has_more", false);
    if (models.isEmpty()) {
      body.putNull("first_id");
      body.putNull("last_id");
    } else {
      body.put("first_id", models.get(0).id());
      body.put("last_id", models.get(models.size() - 1).id());
    }
    return body;
  }

  private static ObjectNode gemini(List<ModelInfo> models) {
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode list = body.putArray("models");
    for (ModelInfo model : models) {
      ObjectNode entry = list.addObject()
          .put("name", "models/" + model.id())
          .put("displayName", model.displayName() == null ? model.id() : model.displayName());
      entry.putArray("supportedGenerationMethods").add("generateContent").add("countTokens");
    }
    return body;
  }
}
