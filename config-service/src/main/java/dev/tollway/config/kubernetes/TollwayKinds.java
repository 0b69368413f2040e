package dev.tollway.config.kubernetes;

import dev.tollway.config.model.ClusterState;
import dev.tollway.config.model.Resources;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** The {@code tollway.dev/v1alpha1} kinds config-service reads ({@code ModelPrice}, {@code Budget}). */
public final class TollwayKinds {

  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = Resources.TOLLWAY_GROUP + "/" + VERSION;

  public static final ResourceDefinitionContext MODEL_PRICE = context(ClusterState.MODEL_PRICE, "modelprices");
  public static final ResourceDefinitionContext BUDGET = context(ClusterState.BUDGET, "budgets");

  private TollwayKinds() {}

  private static ResourceDefinitionContext context(String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(Resources.TOLLWAY_GROUP)
        .withVersion(VERSION)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  /** Whether a kind is one of Tollway's own. */
  public static boolean isTollwayKind(String kind) {
    return ClusterState.MODEL_PRICE.equals(kind) || ClusterState.BUDGET.equals(kind);
  }
}
