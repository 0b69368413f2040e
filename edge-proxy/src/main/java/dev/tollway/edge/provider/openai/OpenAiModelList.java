package dev.tollway.edge.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.llm.ModelInfo;
import dev.tollway.edge.provider.Endpoints;
import dev.tollway.edge.provider.ModelListApi;
import dev.tollway.edge.provider.UpstreamTarget;
import dev.tollway.edge.provider.wire.Fields;
import dev.tollway.edge.provider.wire.UpstreamErrors;
import dev.tollway.schemas.snapshot.Provider;
import java.util.ArrayList;
import java.util.List;

/** OpenAI's {@code GET /v1/models}: {@code {"object": "list", "data": [{"id", "created", "owned_by"}]}}. */
public final class OpenAiModelList implements ModelListApi {

  private final String defaultHost;
  private final String defaultBase;
  private final String rest;

  /** The list at {@code defaultBase + rest} of {@code defaultHost}, after the provider's overrides. */
  public OpenAiModelList(String defaultHost, String defaultBase, String rest) {
    this.defaultHost = defaultHost;
    this.defaultBase = defaultBase;
    this.rest = rest;
  }

  @Override
  public UpstreamTarget target(Provider provider) {
    return Endpoints.beside(provider, defaultHost, defaultBase, "/chat/completions", rest);
  }

  @Override
  public List<ModelInfo> decode(JsonNode body) {
    JsonNode data = body.get("data");
    if (data == null || !data.isArray()) {
      throw UpstreamErrors.malformed("openai", "a model list without data");
    }
    List<ModelInfo> models = new ArrayList<>();
    for (JsonNode entry : data) {
      String id = Fields.text(entry, "id");
      if (id != null) {
        JsonNode created = entry.get("created");
        String owner = Fields.text(entry, "owned_by");
        models.add(new ModelInfo(id, owner == null ? "openai" : owner,
            created != null && created.isIntegralNumber() ? created.longValue() : null, null));
      }
    }
    return models;
  }
}
