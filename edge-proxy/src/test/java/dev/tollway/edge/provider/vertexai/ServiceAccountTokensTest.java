package dev.tollway.edge.provider.vertexai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollway.edge.error.ErrorReason;
import dev.tollway.edge.error.GatewayException;
import dev.tollway.edge.provider.Fixtures;
import dev.tollway.schemas.serde.Json;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Google's auth library exchanging a service-account key for an access token, against a local token
 * endpoint (the key's {@code token_uri}) on a free port: no network beyond the loopback.
 */
class ServiceAccountTokensTest {

  private final AtomicReference<Map<String, String>> received = new AtomicReference<>();
  private final AtomicReference<String> answer = new AtomicReference<>("{\"access_token\":\"ya29.local\",\"expires_in\":3599,\"token_type\":\"Bearer\"}");
  private final AtomicReference<Integer> answerStatus = new AtomicReference<>(200);
  private final ExecutorService background = Executors.newSingleThreadExecutor();
  private Undertow server;
  private String tokenUri;
  private KeyPair keys;

  @BeforeEach
  void startTokenEndpoint() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    keys = generator.generateKeyPair();
    server = Undertow.builder()
        .addHttpListener(0, "127.0.0.1")
        .setHandler(exchange -> exchange.getRequestReceiver().receiveFullString((ex, body) -> {
          received.set(form(body));
          ex.setStatusCode(answerStatus.get());
          ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
          ex.getResponseSender().send(answer.get());
        }))
        .build();
    server.start();
    int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    tokenUri = "http://127.0.0.1:" + port + "/token";
  }

  @AfterEach
  void stop() {
    server.stop();
    background.shutdownNow();
  }

  @Test
  void shouldExchangeASignedAssertionForAnAccessToken() throws Exception {
    // Given a service-account key whose token_uri is the local endpoint
    Instant before = Instant.now();

    // When a token is fetched
    AccessToken token = new ServiceAccountTokens().fetch(serviceAccount());

    // Then the endpoint's token is returned with its lifetime
    assertThat(token.value()).isEqualTo("ya29.local");
    assertThat(token.expiresAt()).isBetween(before.plusSeconds(3590), Instant.now().plusSeconds(3600));

    // And the endpoint got a JWT-bearer grant signed with the key, for the cloud-platform scope
    Map<String, String> form = received.get();
    assertThat(form.get("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer");
    String[] jwt = form.get("assertion").split("\\.");
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initVerify(keys.getPublic());
    rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(rs256.verify(Base64.getUrlDecoder().decode(jwt[2]))).as("signed with the service account's key").isTrue();
    JsonNode claims = Fixtures.parse(new String(Base64.getUrlDecoder().decode(jwt[1]), StandardCharsets.UTF_8));
    assertThat(claims.get("iss").asText()).isEqualTo("tollway-test@my-project.iam.gserviceaccount.com");
    assertThat(claims.get("scope").asText()).isEqualTo("https://www.googleapis.com/auth/cloud-platform");
    assertThat(claims.get("aud").asText()).isEqualTo("https://oauth2.googleapis.com/token");
  }

  @Test
  void shouldFailTheCachesStageWithTheEndpointsReasonWhenTheKeyIsRefused() throws Exception {
    // Given an endpoint that refuses the assertion
    answerStatus.set(400);
    answer.set("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
    AccessTokenCache cache = new AccessTokenCache(new ServiceAccountTokens(), background, Clock.systemUTC());

    // When a token is asked for
    var stage = cache.token(serviceAccount()).toCompletableFuture();

    // Then the stage fails with UPSTREAM_UNAUTHORIZED naming the OAuth error, never the key
    assertThatThrownBy(() -> stage.get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(GatewayException.class, e -> {
          assertThat(e.reason()).isEqualTo(ErrorReason.UPSTREAM_UNAUTHORIZED);
          assertThat(e.getMessage()).contains("invalid_grant").doesNotContain("PRIVATE KEY");
        });
  }

  @Test
  void shouldGetATokenThroughTheCacheOnItsExecutor() throws Exception {
    AccessTokenCache cache = new AccessTokenCache(new ServiceAccountTokens(), background, Clock.systemUTC());

    assertThat(cache.token(serviceAccount()).toCompletableFuture().get(20, TimeUnit.SECONDS)).isEqualTo("ya29.local");
  }

  @Test
  void shouldNameWhatIsMissingFromAKeyWithoutQuotingIt() {
    ObjectNode key = (ObjectNode) Fixtures.parse(serviceAccount());
    key.remove("client_email");
    ObjectNode userCredential = (ObjectNode) Fixtures.parse(serviceAccount());
    userCredential.put("type", "authorized_user");

    assertThatThrownBy(() -> new ServiceAccountTokens().fetch(key.toString()))
        .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.reason()).isEqualTo(ErrorReason.BACKEND_UNAVAILABLE))
        .hasMessage("vertexai: the service-account credential is not usable: client_email is missing or empty "
            + "(expected the JSON key file of a Google service account)")
        .hasMessageNotContaining("PRIVATE KEY");
    assertThatThrownBy(() -> new ServiceAccountTokens().fetch(userCredential.toString()))
        .hasMessageContaining("its type is 'authorized_user' (expected service_account)");
    assertThatThrownBy(() -> new ServiceAccountTokens().fetch("{not json"))
        .hasMessageContaining("it is not a JSON object");
    assertThat(received.get()).as("nothing was sent").isNull();
  }

  private String serviceAccount() {
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    ObjectNode key = Json.mapper().createObjectNode();
    key.put("type", "service_account");
    key.put("project_id", "my-project");
    key.put("private_key_id", "0123456789abcdef0123456789abcdef01234567");
    key.put("private_key", pem);
    key.put("client_email", "tollway-test@my-project.iam.gserviceaccount.com");
    key.put("client_id", "123456789012345678901");
    key.put("token_uri", tokenUri);
    return key.toString();
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

}
