package org.jetlag.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The Tapis OpenAPI documents in test resources, and questions about them. */
final class OpenApi {
  static final String[] SERVICES = {"jobs", "files", "apps", "systems", "authenticator"};

  static JsonNode doc(String service) {
    try (InputStream in =
        OpenApi.class.getResourceAsStream("/tapis-openapi/openapi_v3-" + service + ".json")) {
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The property names of a schema (following allOf one level). */
  static Set<String> properties(String service, String schema) {
    JsonNode s = doc(service).path("components").path("schemas").path(schema);
    if (s.isMissingNode()) {
      throw new AssertionError("no schema " + schema + " in " + service);
    }
    Set<String> names = new LinkedHashSet<>();
    s.path("properties").fieldNames().forEachRemaining(names::add);
    for (JsonNode part : s.path("allOf")) {
      part.path("properties").fieldNames().forEachRemaining(names::add);
    }
    return names;
  }

  /** True when some document declares {@code method} on a path template matching {@code path}. */
  static boolean declares(String method, String path) {
    for (String service : SERVICES) {
      JsonNode paths = doc(service).path("paths");
      for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String template = e.getKey().startsWith("/v3") ? e.getKey() : "/v3" + e.getKey();
        String regex =
            Pattern.quote(template)
                .replaceAll("\\{(path|outputPath)\\}", "\\\\E.*\\\\Q")
                .replaceAll("\\{[A-Za-z_]+\\}", "\\\\E[^/]+\\\\Q");
        if (path.matches(regex) && e.getValue().has(method.toLowerCase(java.util.Locale.ROOT))) {
          return true;
        }
      }
    }
    return false;
  }

  private OpenApi() {}
}
