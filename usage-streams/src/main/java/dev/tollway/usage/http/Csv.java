package dev.tollway.usage.http;

import java.util.List;

/** RFC 4180 records: comma-separated, CRLF-terminated, a field quoted when it holds a comma, quote, CR or LF. */
final class Csv {

  private Csv() {}

  static void record(StringBuilder out, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      field(out, fields.get(i));
    }
    out.append("\r\n");
  }

  static void field(StringBuilder out, String value) {
    boolean quote =
        value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0;
    if (!quote) {
      out.append(value);
      return;
    }
    out.append('"').append(value.replace("\"", "\"\"")).append('"');
  }
}
