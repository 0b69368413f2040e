package dev.tollway.local.fake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A bare HTTP/1.1 exchange over a socket, for checking what actually goes over the wire: a chunked body is
 * decoded by hand and whether its terminating chunk arrived is reported (an HTTP client library hides that).
 */
final class RawHttp {

  /**
   * What came back.
   *
   * @param head the status line and headers
   * @param body the decoded chunked body, as far as it arrived
   * @param complete whether the terminating zero-length chunk arrived
   */
  record Response(String head, String body, boolean complete) {}

  private RawHttp() {}

  static Response post(int port, String path, Map<String, String> headers, String body) throws IOException {
    byte[] content = body.getBytes(StandardCharsets.UTF_8);
    StringBuilder request = new StringBuilder()
        .append("POST ").append(path).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(port).append("\r\n")
        .append("Content-Type: application/json\r\n")
        .append("Content-Length: ").append(content.length).append("\r\n");
    headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    request.append("\r\n");
    byte[] received;
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(content);
      out.flush();
      received = readUntilClosed(socket.getInputStream());
    }
    String all = new String(received, StandardCharsets.UTF_8);
    int end = all.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new IOException("no complete response head in: " + all);
    }
    String head = all.substring(0, end);
    if (!head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
      throw new IOException("not a chunked response: " + head);
    }
    return decodeChunks(head, all.substring(end + 4));
  }

  private static byte[] readUntilClosed(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        bytes.write(buffer, 0, n);
      }
    } catch (java.net.SocketException e) {
      // a reset after the data: what arrived before it is what counts
    }
    return bytes.toByteArray();
  }

  private static Response decodeChunks(String head, String chunked) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = chunked.indexOf("\r\n", at);
      if (lineEnd < 0) {
        return new Response(head, body.toString(), false);
      }
      int size = Integer.parseInt(chunked.substring(at, lineEnd).strip(), 16);
      if (size == 0) {
        return new Response(head, body.toString(), true);
      }
      int dataStart = lineEnd + 2;
      // sizes count bytes; the fakes' stream events here are ASCII
      if (dataStart + size + 2 > chunked.length()) {
        body.append(chunked, dataStart, Math.min(chunked.length(), dataStart + size));
        return new Response(head, body.toString(), false);
      }
      body.append(chunked, dataStart, dataStart + size);
      at = dataStart + size + 2;
    }
  }
}
