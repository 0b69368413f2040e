package dev.tollway.edge.pipeline;

import dev.tollway.edge.error.GatewayException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** What a relay tells the attempt loop about its attempt. Called on the exchange's IO thread. */
interface AttemptOutcome {

  /** The upstream's answer started ({@code status}, after {@code latency}). */
  void answered(int status, Duration latency);

  /**
   * The attempt failed before any byte reached the client: the loop retries or answers the error.
   *
   * @param upstreamStatus the upstream's status, 0 when it did not answer
   * @param noAnswer a connection failure, a timeout or a stream that broke before its first event: always
   *     retried while attempts are left
   */
  void failed(GatewayException error, int upstreamStatus, boolean noAnswer);

  /** The answer's first byte goes to the client now: no more retries or failover for this request. */
  void committed(int status);
}
