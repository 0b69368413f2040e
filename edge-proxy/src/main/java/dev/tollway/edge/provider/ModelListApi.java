package dev.tollway.edge.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollway.edge.llm.ModelInfo;
import dev.tollway.schemas.snapshot.Provider;
import java.util.List;

/** A provider's list of its models ({@code GET}), for a backend that names no model. Pure and thread-safe. */
public interface ModelListApi {

  /** Where the list is fetched with {@code GET}. */
  UpstreamTarget target(Provider provider);

  /**
   * Reads the provider's list.
   *
   * @throws dev.tollway.edge.error.GatewayException {@code UPSTREAM_ERROR} when it is not a list of this API
   */
  List<ModelInfo> decode(JsonNode body);
}
