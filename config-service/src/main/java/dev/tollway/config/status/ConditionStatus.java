package dev.tollway.config.status;

/** The status of a condition, as Kubernetes spells it. */
public enum ConditionStatus {
  True,
  False,
  Unknown
}
