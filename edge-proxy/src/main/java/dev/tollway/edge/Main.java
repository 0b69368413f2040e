package dev.tollway.edge;

import dev.tollway.schemas.crypto.SnapshotCipher;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/** Runs edge-proxy alone: reads the environment, builds the proxy, starts it, stops it on shutdown. */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    EdgeProxyConfig config = EdgeProxyConfig.fromEnv(System.getenv());
    SnapshotCipher cipher = SnapshotCipher.fromBase64(config.snapshotKeyValue().orElseThrow(
        () -> new IllegalArgumentException(
            "TOLLWAY_SNAPSHOT_KEY: missing (expected: the base64 snapshot key, or TOLLWAY_SNAPSHOT_KEY_FILE)")));
    EdgeProxy proxy = new EdgeProxy(config, cipher, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      proxy.close();
      stopped.countDown();
    }, "tollway-edge-shutdown"));
    proxy.start();
    stopped.await();
  }
}
