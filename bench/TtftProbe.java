import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Time to first token of OpenAI chat-completion streams, for {@code bench/run.sh}.
 *
 * <p>Sends {@code --requests} streaming requests one after the other on one keep-alive HTTP/1.1 connection
 * (after {@code --warmup} unrecorded ones) and, for each, measures the time from writing the request to reading
 * the first server-sent event whose {@code delta.content} is not empty (the role-only first chunk does not
 * count), and the time to the end of the stream ({@code data: [DONE]} and the last chunk). The chunked framing
 * is decoded, so a token split across reads is found when its last byte arrives. A plain socket keeps the
 * client's own overhead to a read system call: no client library, no extra threads. Prints one line of
 * {@code key=value} pairs (milliseconds) that the script parses.
 *
 * <p>Run with the JDK's source launcher: {@code java bench/TtftProbe.java --url http://127.0.0.1:8080/v1/chat/completions
 * --body body.json [--requests 1000] [--warmup 200] [--header 'Name: value']...}.
 */
public final class TtftProbe {

  private static final Pattern FIRST_TOKEN = Pattern.compile("\"delta\":\\{[^}]*\"content\":\"[^\"]");
  private static final byte[] CRLF = {'\r', '\n'};

  private final String host;
  private final int port;
  private final byte[] request;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  private final byte[] buffer = new byte[64 * 1024];
  private int start;
  private int end;

  private TtftProbe(URI url, byte[] body, List<String> headers) throws IOException {
    this.host = url.getHost();
    this.port = url.getPort() > 0 ? url.getPort() : 80;
    StringBuilder head = new StringBuilder()
        .append("POST ").append(url.getRawPath()).append(" HTTP/1.1\r\n")
        .append("Host: ").append(host).append(':').append(port).append("\r\n")
        .append("Content-Type: application/json\r\n")
        .append("Accept: text/event-stream\r\n")
        .append("Content-Length: ").append(body.length).append("\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
    this.request = Arrays.copyOf(headBytes, headBytes.length + body.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
    connect();
  }

  public static void main(String[] args) throws Exception {
    URI url = null;
    Path body = null;
    int requests = 1000;
    int warmup = 200;
    List<String> headers = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + ": missing value");
      }
      String value = args[++i];
      switch (option) {
        case "--url" -> url = URI.create(value);
        case "--body" -> body = Path.of(value);
        case "--requests" -> requests = Integer.parseInt(value);
        case "--warmup" -> warmup = Integer.parseInt(value);
        case "--header" -> headers.add(value);
        default -> throw new IllegalArgumentException(
            option + ": unknown option (expected --url, --body, --requests, --warmup, --header)");
      }
    }
    if (url == null || body == null || requests < 1 || warmup < 0) {
      throw new IllegalArgumentException("expected: --url URL --body FILE [--requests N>0] [--warmup N>=0]");
    }
    TtftProbe probe = new TtftProbe(url, Files.readAllBytes(body), headers);
    for (int i = 0; i < warmup; i++) {
      probe.once();
    }
    long[] ttft = new long[requests];
    long[] total = new long[requests];
    for (int i = 0; i < requests; i++) {
      long[] times = probe.once();
      ttft[i] = times[0];
      total[i] = times[1];
    }
    probe.socket.close();
    Arrays.sort(ttft);
    Arrays.sort(total);
    System.out.printf(Locale.ROOT,
        "requests=%d ttft_p50_ms=%.3f ttft_p99_ms=%.3f ttft_mean_ms=%.3f ttft_max_ms=%.3f total_p50_ms=%.3f"
            + " total_p99_ms=%.3f%n",
        requests, ms(percentile(ttft, 0.50)), ms(percentile(ttft, 0.99)), ms(mean(ttft)),
        ms(ttft[ttft.length - 1]), ms(percentile(total, 0.50)), ms(percentile(total, 0.99)));
  }

  /** One streamed request: {time to first token, time to end of stream} in nanoseconds. */
  private long[] once() throws IOException {
    long sent = System.nanoTime();
    out.write(request);
    out.flush();
    String status = line();
    if (!status.startsWith("HTTP/1.1 200")) {
      throw new IOException("expected HTTP/1.1 200, got: " + status + " (body: " + new String(rest(), StandardCharsets.UTF_8) + ")");
    }
    boolean chunked = false;
    boolean close = false;
    for (String header = line(); !header.isEmpty(); header = line()) {
      String lower = header.toLowerCase(Locale.ROOT);
      chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
      close |= lower.startsWith("connection:") && lower.contains("close");
    }
    if (!chunked) {
      throw new IOException("expected a chunked event stream");
    }
    ByteArrayOutputStream events = new ByteArrayOutputStream();
    long firstToken = -1;
    boolean done = false;
    while (true) {
      int size = Integer.parseInt(line().split(";", 2)[0].trim(), 16);
      if (size == 0) {
        line(); // the empty line after the last chunk (no trailers expected)
        break;
      }
      byte[] chunk = bytes(size);
      expectCrlf();
      events.write(chunk);
      if (firstToken < 0 || !done) {
        String text = events.toString(StandardCharsets.UTF_8);
        if (firstToken < 0 && FIRST_TOKEN.matcher(text).find()) {
          firstToken = System.nanoTime() - sent;
        }
        done = text.contains("data: [DONE]");
      }
    }
    long total = System.nanoTime() - sent;
    if (firstToken < 0 || !done) {
      throw new IOException("stream ended without " + (firstToken < 0 ? "a content token" : "data: [DONE]"));
    }
    if (close) {
      socket.close();
      connect();
    }
    return new long[] {firstToken, total};
  }

  private void connect() throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(host, port), 5_000);
    socket.setSoTimeout(30_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
    start = 0;
    end = 0;
  }

  private void fill() throws IOException {
    if (start == end) {
      start = 0;
      end = 0;
    } else if (end == buffer.length) {
      System.arraycopy(buffer, start, buffer, 0, end - start);
      end -= start;
      start = 0;
    }
    int n = in.read(buffer, end, buffer.length - end);
    if (n < 0) {
      throw new IOException("connection closed by the server");
    }
    end += n;
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      if (start == end) {
        fill();
      }
      byte b = buffer[start++];
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
  }

  private byte[] bytes(int size) throws IOException {
    byte[] result = new byte[size];
    int copied = 0;
    while (copied < size) {
      if (start == end) {
        fill();
      }
      int n = Math.min(size - copied, end - start);
      System.arraycopy(buffer, start, result, copied, n);
      start += n;
      copied += n;
    }
    return result;
  }

  private void expectCrlf() throws IOException {
    byte[] two = bytes(2);
    if (two[0] != CRLF[0] || two[1] != CRLF[1]) {
      throw new IOException("malformed chunked encoding: no CRLF after a chunk");
    }
  }

  private byte[] rest() {
    return Arrays.copyOfRange(buffer, start, end);
  }

  private static long percentile(long[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double mean(long[] values) {
    return Arrays.stream(values).average().orElse(0);
  }

  private static double ms(double nanos) {
    return nanos / 1_000_000.0;
  }
}
