package dev.tollway.edge.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollway.schemas.snapshot.RouteFilter.PathModifier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathRewriteTest {

  @ParameterizedTest(name = "prefix {1} → {2}: {0} becomes {3}")
  @CsvSource({
    "/ai/gemini/v1/chat/completions, /ai/gemini,  /,     /v1/chat/completions",
    "/ai/gemini/v1/chat/completions, /ai/gemini,  /foo,  /foo/v1/chat/completions",
    "/ai/gemini/v1/chat/completions, /ai/gemini/, /foo,  /foo/v1/chat/completions",
    "/ai/gemini/v1/chat/completions, /ai/gemini,  /foo/, /foo/v1/chat/completions",
    "/ai/gemini,                     /ai/gemini,  /,     /",
    "/ai/gemini/,                    /ai/gemini,  /,     /",
    "/ai/gemini,                     /ai/gemini,  /foo,  /foo",
    "/ai/gemini/,                    /ai/gemini,  /foo,  /foo/",
    "/v1/x,                          /,           /api,  /api/v1/x",
    "/v1/x,                          /,           /,     /v1/x",
  })
  void shouldReplaceTheMatchedPrefixAsTheGatewayApiSays(String path, String prefix, String replacement, String expected) {
    assertThat(PathRewrite.replacePrefix(path, prefix, replacement)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({"/anything/here, /v1/chat/completions", "/, /fixed"})
  void shouldReplaceTheFullPath(String path, String value) {
    assertThat(PathRewrite.apply(new PathModifier(PathModifier.Type.ReplaceFullPath, value), path, null))
        .isEqualTo(value);
  }

  @ParameterizedTest
  @CsvSource({"/a/b"})
  void shouldRefuseAPrefixReplacementWithoutAPrefixMatch(String path) {
    assertThatThrownBy(() -> PathRewrite.apply(new PathModifier(PathModifier.Type.ReplacePrefixMatch, "/"), path, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PathPrefix");
  }
}
