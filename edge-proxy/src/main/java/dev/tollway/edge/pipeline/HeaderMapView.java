package dev.tollway.edge.pipeline;

import static java.util.Objects.requireNonNull;

import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A request's headers as routing reads them — values by lower-case name — without copying them for every
 * request: a read-only view of Undertow's header map, whose names are case-insensitive (so a lower-case name
 * finds the header however the client spelled it). It reflects the headers as they are when read; routing reads
 * it before anything changes them. Only the headers a route asks about are copied (iterating copies them all).
 */
final class HeaderMapView extends AbstractMap<String, List<String>> {

  private final HeaderMap headers;

  HeaderMapView(HeaderMap headers) {
    this.headers = requireNonNull(headers, "headers");
  }

  @Override
  public @Nullable List<String> get(@Nullable Object name) {
    if (!(name instanceof String header)) {
      return null;
    }
    HeaderValues values = headers.get(header);
    return values == null ? null : List.copyOf(values); // Undertow's HeaderValues is no List by equality
  }

  @Override
  public boolean containsKey(@Nullable Object name) {
    return name instanceof String header && headers.contains(header);
  }

  @Override
  public Set<Map.Entry<String, List<String>>> entrySet() {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    for (HeaderValues values : headers) {
      copy.put(values.getHeaderName().toString().toLowerCase(Locale.ROOT), List.copyOf(values));
    }
    return Collections.unmodifiableMap(copy).entrySet();
  }
}
