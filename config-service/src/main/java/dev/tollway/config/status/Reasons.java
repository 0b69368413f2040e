package dev.tollway.config.status;

/**
 * The reason codes the compiler uses. Gateway API reasons keep their spec names; the few of Tollway's own
 * are marked.
 */
public final class Reasons {

  private Reasons() {}

  // positive
  public static final String ACCEPTED = "Accepted";
  public static final String PROGRAMMED = "Programmed";
  public static final String RESOLVED_REFS = "ResolvedRefs";
  public static final String NO_CONFLICTS = "NoConflicts";

  // Gateway and listener
  public static final String INVALID = "Invalid";
  public static final String LISTENERS_NOT_VALID = "ListenersNotValid";
  public static final String UNSUPPORTED_PROTOCOL = "UnsupportedProtocol";
  public static final String INVALID_CERTIFICATE_REF = "InvalidCertificateRef";
  public static final String INVALID_ROUTE_KINDS = "InvalidRouteKinds";
  public static final String PROTOCOL_CONFLICT = "ProtocolConflict";
  public static final String HOSTNAME_CONFLICT = "HostnameConflict";

  // HTTPRoute
  public static final String NOT_ALLOWED_BY_LISTENERS = "NotAllowedByListeners";
  public static final String NO_MATCHING_PARENT = "NoMatchingParent";
  public static final String NO_MATCHING_LISTENER_HOSTNAME = "NoMatchingListenerHostname";
  public static final String UNSUPPORTED_VALUE = "UnsupportedValue";
  public static final String BACKEND_NOT_FOUND = "BackendNotFound";
  public static final String REF_NOT_PERMITTED = "RefNotPermitted";
  public static final String INVALID_KIND = "InvalidKind";

  // AgentgatewayBackend / AgentgatewayPolicy (Tollway's own)
  /** A field the Tollway snapshot cannot carry yet; the message names it. */
  public static final String UNSUPPORTED = "Unsupported";
  /** The Secret a backend's {@code secretRef} names does not exist. */
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  /** The Secret exists but lacks the key, or its value is empty or not valid base64. */
  public static final String INVALID_SECRET = "InvalidSecret";
  /** A policy's target (Gateway, listener, HTTPRoute or rule) does not exist (GEP-713). */
  public static final String TARGET_NOT_FOUND = "TargetNotFound";
}
