package dev.tollway.config.kubernetes;

import dev.tollway.config.model.Resources;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** The {@code agentgateway.dev/v1alpha1} kinds config-service reads, as fabric8 generic resources. */
public final class AgentgatewayKinds {

  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = Resources.AGENTGATEWAY_GROUP + "/" + VERSION;

  public static final ResourceDefinitionContext BACKEND = context("AgentgatewayBackend", "agentgatewaybackends");
  public static final ResourceDefinitionContext POLICY = context("AgentgatewayPolicy", "agentgatewaypolicies");
  public static final ResourceDefinitionContext PARAMETERS =
      context("AgentgatewayParameters", "agentgatewayparameters");

  private AgentgatewayKinds() {}

  private static ResourceDefinitionContext context(String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(Resources.AGENTGATEWAY_GROUP)
        .withVersion(VERSION)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  /** The context of a kind, for status writes. */
  public static ResourceDefinitionContext of(String kind) {
    return switch (kind) {
      case "AgentgatewayBackend" -> BACKEND;
      case "AgentgatewayPolicy" -> POLICY;
      case "AgentgatewayParameters" -> PARAMETERS;
      default -> throw new IllegalArgumentException("not an agentgateway.dev kind: " + kind);
    };
  }
}
