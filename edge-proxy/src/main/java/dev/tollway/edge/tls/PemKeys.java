package dev.tollway.edge.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a Kubernetes TLS Secret holds: a PEM certificate chain ({@code tls.crt}) and a PEM private key
 * ({@code tls.key}) as PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, cert-manager's
 * default for RSA) or SEC1 ({@code BEGIN EC PRIVATE KEY}). Errors never quote the key.
 */
public final class PemKeys {

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
  private static final byte[] RSA_OID = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
  private static final byte[] EC_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

  private PemKeys() {}

  /** The certificates of a PEM chain, leaf first. */
  public static List<X509Certificate> certificates(String pem) {
    try {
      List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).stream()
          .map(X509Certificate.class::cast).toList();
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("tls.crt: no certificate");
      }
      return chain;
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new IllegalArgumentException("tls.crt: not a PEM certificate chain");
    }
  }

  /** The private key of a PEM block. */
  public static PrivateKey privateKey(String pem) {
    Matcher block = BLOCK.matcher(pem);
    if (!block.find()) {
      throw new IllegalArgumentException("tls.key: no PEM private key");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(block.group(2));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tls.key: not base64");
    }
    try {
      return switch (block.group(1)) {
        case "PRIVATE KEY" -> pkcs8(der);
        case "RSA PRIVATE KEY" -> KeyFactory.getInstance("RSA").generatePrivate(
            new PKCS8EncodedKeySpec(privateKeyInfo(sequence(concat(RSA_OID, new byte[] {0x05, 0x00})), der)));
        case "EC PRIVATE KEY" -> KeyFactory.getInstance("EC").generatePrivate(
            new PKCS8EncodedKeySpec(privateKeyInfo(sequence(concat(EC_OID, curveOf(der))), der)));
        default -> throw new IllegalArgumentException("tls.key: " + block.group(1) + " is not supported (expected: "
            + "PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY, unencrypted)");
      };
    } catch (GeneralSecurityException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae && iae.getMessage() != null && iae.getMessage().startsWith("tls.key")) {
        throw iae;
      }
      throw new IllegalArgumentException("tls.key: not a valid " + block.group(1).toLowerCase(java.util.Locale.ROOT));
    }
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }

  /** The named curve OID ([0] parameters) of a SEC1 ECPrivateKey. */
  private static byte[] curveOf(byte[] sec1) {
    int[] seq = header(sec1, 0);
    int at = seq[0];
    int end = seq[0] + seq[1];
    while (at < end) {
      int tag = sec1[at] & 0xff;
      int[] h = header(sec1, at);
      if (tag == 0xA0) {
        int[] oid = header(sec1, h[0]);
        return java.util.Arrays.copyOfRange(sec1, h[0], oid[0] + oid[1]);
      }
      at = h[0] + h[1];
    }
    throw new IllegalArgumentException("tls.key: an EC private key without its named curve");
  }

  /** Offset of the content and its length, for the element at {@code at}. */
  private static int[] header(byte[] der, int at) {
    int length = der[at + 1] & 0xff;
    int content = at + 2;
    if (length > 0x80) {
      int bytes = length - 0x80;
      length = 0;
      for (int i = 0; i < bytes; i++) {
        length = (length << 8) | (der[content + i] & 0xff);
      }
      content += bytes;
    }
    if (content + length > der.length || length < 0) {
      throw new IllegalArgumentException("tls.key: truncated");
    }
    return new int[] {content, length};
  }

  private static byte[] privateKeyInfo(byte[] algorithm, byte[] key) {
    return sequence(concat(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, key)));
  }

  private static byte[] sequence(byte[] content) {
    return tlv(0x30, content);
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write(n >> 8);
      out.write(n);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
