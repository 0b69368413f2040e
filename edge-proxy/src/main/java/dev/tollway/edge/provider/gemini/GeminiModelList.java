package dev.tollway.edge.provider.gemini;

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

/** Gemini's {@code GET /v1beta/models?pageSize=1000}: {@code {"models": [{"name": "models/...", "displayName"}]}}. */
final class GeminiModelList implements ModelListApi {

  @Override
  public UpstreamTarget target(Provider provider) {
    return Endpoints.target(provider, GeminiProtocol.DEFAULT_HOST, "/v1beta", "/models?pageSize=1000");
  }

  @Override
  public List<ModelInfo> decode(JsonNode body) {
    JsonNode list = body.get("models");
    if (!body.isObject()) {
      throw UpstreamErrors.malformed("gemini", "a model list that is not an object");
    }
    List<ModelInfo> models = new ArrayList<>();
    if (list == null || !list.isArray()) {
      return models; // no models at all: Gemini leaves the field out
    }
    for (JsonNode entry : list) {
      String name = Fields.text(entry, "name");
      if (name != null) {
        models.add(new ModelInfo(GeminiProtocol.bareName(name), "gemini", null, Fields.text(entry, "displayName")));
      }
    }
    return models;
  }
}
