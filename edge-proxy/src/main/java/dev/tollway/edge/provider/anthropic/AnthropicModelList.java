package dev.tollway.edge.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.llm.ModelInfo;
import dev.tollway.edge.provider.Endpoints;
import dev.tollway.edge.provider.ModelListApi;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import dev.tollway.schemas.snapshot.Provider;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Anthropic's {@code GET /v1/models?limit=1000}: {@code {"data": [{"type": "model", "id", "display_name",
 * "created_at"}], "has_more", ...}}.
 */
public final class AnthropicModelList implements ModelListApi {

  @Override
  public UpstreamTarget target(Provider provider) {
    return Endpoints.beside(provider, AnthropicProtocol.DEFAULT_HOST, "/v1", "/messages", "/models?limit=1000");
  }

  @Override
  public List<ModelInfo> decode(JsonNode body) {
    JsonNode data = body.get("data");
    if (data == null || !data.isArray()) {
      throw UpstreamErrors.malformed("anthropic", "a model list without data");
    }
    List<ModelInfo> models = new ArrayList<>();
    for (JsonNode entry : data) {
      String id = Fields.text(entry, "id");
      if (id != null) {
        models.add(new ModelInfo(id, "anthropic", created(Fields.text(entry, "created_at")),
            Fields.text(entry, "display_name")));
      }
    }
    return models;
  }

  private static @Nullable Long created(@Nullable String createdAt) {
    if (createdAt == null) {
      return null;
    }
    try {
      return Instant.parse(createdAt).getEpochSecond();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
