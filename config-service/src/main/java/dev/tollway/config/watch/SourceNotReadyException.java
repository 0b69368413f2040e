package dev.tollway.config.watch;

import java.io.IOException;

/**
 * The source cannot be read yet (informer caches still syncing); it signals when it can. Not a failure: the
 * worker waits for the signal and only warns when the wait grows long.
 */
public final class SourceNotReadyException extends IOException {

  private static final long serialVersionUID = 1L;

  public SourceNotReadyException(String message) {
    super(message);
  }
}
