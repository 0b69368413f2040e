package dev.tollway.edge.tls;

import static dev.tollway.edge.testing.TestSnapshots.GATEWAY;
import static dev.tollway.edge.testing.TestSnapshots.aiBackend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollway.edge.testing.FakeProvider;
import dev.tollway.edge.testing.TestStack;
import dev.tollway.schemas.snapshot.BackendRef;
import dev.tollway.schemas.snapshot.GatewaySnapshot;
import dev.tollway.schemas.snapshot.Listener;
import dev.tollway.schemas.snapshot.Provider.ProviderType;
import dev.tollway.schemas.snapshot.RouteEntry;
import dev.tollway.schemas.snapshot.RouteMatch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HTTPS listeners from the snapshot's sealed certificates, and the PEM encodings Kubernetes Secrets carry. */
class TlsListenerTest {

  @TempDir Path stateDir;

  private static String resource(String name) throws Exception {
    return Files.readString(Path.of("src/test/resources/tls", name));
  }

  @ParameterizedTest
  @CsvSource({"rsa.crt, rsa-pkcs8.key, SHA256withRSA", "rsa.crt, rsa-pkcs1.key, SHA256withRSA",
      "ec.crt, ec-sec1.key, SHA256withECDSA", "ec.crt, ec-pkcs8.key, SHA256withECDSA"})
  void shouldReadEveryKeyEncodingOfATlsSecretAsTheCertificatesKey(String cert, String key, String algorithm)
      throws Exception {
    X509Certificate certificate = PemKeys.certificates(resource(cert)).get(0);
    PrivateKey privateKey = PemKeys.privateKey(resource(key));

    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(privateKey);
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(certificate.getPublicKey());
    verifier.update(new byte[] {1, 2, 3});
    assertThat(verifier.verify(signature)).isTrue();
  }

  @Test
  void shouldRefuseABadKeyWithoutQuotingIt() {
    assertThatThrownBy(() -> PemKeys.privateKey("-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleQ==\n-----END PRIVATE KEY-----"))
        .hasMessage("tls.key: not a valid private key");
    assertThatThrownBy(() -> PemKeys.privateKey("secret-key")).hasMessage("tls.key: no PEM private key");
  }

  @Test
  void shouldChooseTheCertificateByTheNameTheClientAsksFor() throws Exception {
    SniKeyManager keys = new SniKeyManager();
    ServerCertificate any = ServerCertificate.fromPem(null, resource("rsa.crt"), resource("rsa-pkcs1.key"));
    ServerCertificate other = ServerCertificate.fromPem("*.test", resource("ec.crt"), resource("ec-sec1.key"));
    ServerCertificate exact = ServerCertificate.fromPem("gateway.test", resource("rsa.crt"), resource("rsa-pkcs8.key"));
    keys.update(List.of(any, other, exact));

    assertThat(keys.getPrivateKey(keys.choose("RSA", "gateway.test"))).isSameAs(exact.key());
    assertThat(keys.getPrivateKey(keys.choose("EC", "other.test"))).isSameAs(other.key());
    assertThat(keys.getPrivateKey(keys.choose("RSA", "unknown.example"))).isSameAs(any.key());
    assertThat(keys.getPrivateKey(keys.choose("RSA", null))).isSameAs(any.key());
  }

  @Test
  void shouldServeAnHttpsListenerWithTheSnapshotsCertificate() throws Exception {
    try (FakeProvider provider = new FakeProvider();
        TestStack stack = TestStack.start(stateDir, Clock.systemUTC(), Map.of("TOLLWAY_PORT_MAP", "80=0,443=0"))) {
      // Given a Gateway with an HTTPS listener whose key is sealed in the snapshot
      provider.answer(FakeProvider.json(200,
          "{\"format\":\"oa\",\"id\":\"r1\",\"model\":\"m\",\"text\":\"over tls\",\"usage\":{\"input\":1,\"output\":1}}"));
      Listener https = new Listener("https", "HTTPS", 443, null,
          new Listener.ListenerTls(resource("rsa.crt"), stack.cipher.seal(GATEWAY, resource("rsa-pkcs1.key"))));
      RouteEntry route = new RouteEntry("default/r", 0, List.of("https"), List.of(), RouteMatch.any(), List.of(),
          List.of(BackendRef.resolved("default/b", 1)), null);
      stack.publish(GatewaySnapshot.of(GATEWAY, "agentgateway", List.of(https), List.of(route),
          Map.of("default/b", aiBackend(stack.cipher, "default/b", ProviderType.openai, provider.port(), "m"))));
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> stack.proxy.localPort(443).isPresent());

      // When a client that trusts the certificate calls it
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("gateway", PemKeys.certificates(resource("rsa.crt")).get(0));
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, factory.getTrustManagers(), null);
      HttpClient client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(URI.create("https://localhost:" + stack.proxy.localPort(443).orElseThrow()
              + "/v1/chat/completions")).timeout(Duration.ofSeconds(10))
              .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
          HttpResponse.BodyHandlers.ofString());

      // Then the request went through the HTTPS listener, and the private key appears nowhere in the clear on disk
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("over tls");
      String keyBody = resource("rsa-pkcs1.key").lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
      try (var files = Files.walk(stateDir)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          assertThat(Files.readString(file)).doesNotContain(keyBody);
        }
      }
    }
  }
}
