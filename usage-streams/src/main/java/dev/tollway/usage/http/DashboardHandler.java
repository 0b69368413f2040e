package dev.tollway.usage.http;

import static java.util.Objects.requireNonNull;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The dashboard: a static page, its script and style, and Chart.js from its WebJar, all served from the jar
 * (no CDN). The page reads the JSON API. Only these paths exist; they are read once, at start.
 */
final class DashboardHandler implements HttpHandler {

  private static final String BASE = "dev/tollway/usage/dashboard/";
  private static final String CHART_JS_POM = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";

  private final Map<String, Asset> assets = new LinkedHashMap<>();

  DashboardHandler() {
    Asset page = asset(BASE + "index.html", "text/html; charset=utf-8", "no-cache");
    assets.put("/", page);
    assets.put("/index.html", page);
    assets.put("/dashboard.js", asset(BASE + "dashboard.js", "text/javascript; charset=utf-8", "no-cache"));
    assets.put("/dashboard.css", asset(BASE + "dashboard.css", "text/css; charset=utf-8", "no-cache"));
    assets.put(
        "/vendor/chart.umd.min.js",
        asset(
            "META-INF/resources/webjars/chart.js/" + chartJsVersion() + "/dist/chart.umd.min.js",
            "text/javascript; charset=utf-8",
            "max-age=86400"));
  }

  /** The paths this handler serves. */
  Iterable<String> paths() {
    return assets.keySet();
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    Asset asset = assets.get(exchange.getRequestPath());
    if (asset == null) {
      throw new ApiException(ApiError.NOT_FOUND, "no such endpoint: " + exchange.getRequestPath());
    }
    exchange.setStatusCode(200);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, asset.contentType());
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, asset.cacheControl());
    exchange.getResponseHeaders().put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
    exchange.getResponseSender().send(ByteBuffer.wrap(asset.bytes()));
  }

  private static String chartJsVersion() {
    Properties properties = new Properties();
    try (InputStream in = resource(CHART_JS_POM)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + CHART_JS_POM, e);
    }
    return requireNonNull(properties.getProperty("version"), "the Chart.js WebJar names no version");
  }

  private static Asset asset(String path, String contentType, String cacheControl) {
    try (InputStream in = resource(path)) {
      return new Asset(in.readAllBytes(), contentType, cacheControl);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  private static InputStream resource(String path) {
    InputStream in = DashboardHandler.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException("missing from the classpath: " + path);
    }
    return in;
  }

  private record Asset(byte[] bytes, String contentType, String cacheControl) {}
}
