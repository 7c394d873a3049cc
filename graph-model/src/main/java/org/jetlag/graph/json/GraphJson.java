package org.jetlag.graph.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Graph;
import org.jetlag.graph.GraphFormatException;
import org.jetlag.graph.JetLagException;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.Position;

/**
 * Reads and writes the JetLag graph JSON format (see {@code docs/graph-format.md}).
 *
 * <p>Writing is canonical: a fixed key order, two-space indentation, scalar lists on one line and
 * one edge per line, so that reading a canonical file and writing it again gives the same bytes.
 * Reading is strict: unknown keys, wrong types and newer format versions are errors that name the
 * file and the JSON path. Loading a graph never runs code.
 */
public final class GraphJson {
  /** The format version this JetLag writes and the newest it reads. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
          .build();

  private GraphJson() {}

  /**
   * Reads a graph file.
   *
   * @throws GraphFormatException naming the file, for missing files, malformed JSON or JSON that is
   *     not a graph
   */
  public static Graph read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new GraphFormatException(file + ": no such file", e);
    } catch (IOException e) {
      throw new GraphFormatException(file + ": cannot read: " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /**
   * Parses graph JSON text; {@code source} names it in messages (a file name, or "stdin").
   *
   * @throws GraphFormatException for malformed JSON or JSON that is not a graph
   */
  public static Graph parse(String text, String source) {
    JsonNode root;
    try (JsonParser p = MAPPER.createParser(text)) {
      root = MAPPER.readTree(p);
      if (p.nextToken() != null) {
        throw new GraphFormatException(
            source
                + ": malformed JSON: unexpected content after the graph object at line "
                + p.currentLocation().getLineNr());
      }
    } catch (JsonParseException e) {
      String at = e.getProcessor() == null ? "" : jsonPath(e.getProcessor().getParsingContext());
      throw new GraphFormatException(
          source
              + ": malformed JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + (at.isEmpty() ? "" : " (in " + at + ")")
              + ": "
              + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new GraphFormatException(source + ": malformed JSON: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new GraphFormatException(source + ": empty document, expected a graph object");
    }
    return new Reader(source).graph(root, "", true);
  }

  /** The path of the parser's position as the reader writes it: {@code nodes[0].params}. */
  private static String jsonPath(JsonStreamContext c) {
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext x = c; x != null && !x.inRoot(); x = x.getParent()) {
      if (x.inArray()) {
        parts.add("[" + Math.max(0, x.getCurrentIndex()) + "]");
      } else if (x.getCurrentName() != null) {
        parts.add(x.getCurrentName());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = parts.size() - 1; i >= 0; i--) {
      String s = parts.get(i);
      sb.append(s.startsWith("[") || sb.length() == 0 ? "" : ".").append(s);
    }
    return sb.toString();
  }

  /** The canonical JSON text of a graph, ending with a newline. */
  public static String write(Graph g) {
    StringBuilder sb = new StringBuilder();
    new Writer(sb).graph(g, 0, true);
    return sb.append('\n').toString();
  }

  /**
   * Writes a graph file atomically: a temporary file in the same folder, then a rename.
   *
   * @throws JetLagException naming the file when it cannot be written
   */
  public static void write(Graph g, Path file) {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      Files.writeString(tmp, write(g), StandardCharsets.UTF_8);
      try {
        // temporary files are owner-only; a graph is an ordinary document
        Files.setPosixFilePermissions(
            tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new JetLagException(file + ": cannot write: " + e, e);
    }
  }

  // ------------------------------------------------------------------ reading

  private static final class Reader {
    private final String source;

    Reader(String source) {
      this.source = source;
    }

    private GraphFormatException fail(String path, String msg) {
      // A body's path ends with "body." ready for "nodes[0]"; drop that dot when it is the end.
      String at = path.endsWith(".") ? path.substring(0, path.length() - 1) : path;
      return new GraphFormatException(source + ": " + (at.isEmpty() ? "" : at + ": ") + msg);
    }

    private void keys(JsonNode obj, String path, Set<String> allowed) {
      Iterator<String> it = obj.fieldNames();
      while (it.hasNext()) {
        String k = it.next();
        if (!allowed.contains(k)) {
          throw fail(path, "unknown key \"" + k + "\"; expected one of " + allowed);
        }
      }
    }

    Graph graph(JsonNode root, String path, boolean top) {
      if (!root.isObject()) {
        throw fail(path, "expected a graph object, got " + kind(root));
      }
      keys(
          root,
          path,
          top
              ? orderedSet("formatVersion", "name", "description", "nodes", "edges")
              : orderedSet("name", "description", "nodes", "edges"));
      if (top) {
        JsonNode v = root.get("formatVersion");
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
          throw fail(
              path,
              "\"formatVersion\": expected an integer (" + FORMAT_VERSION + "), got " + kind(v));
        }
        if (v.asLong() > FORMAT_VERSION || v.asLong() < 1) {
          throw fail(
              path,
              "\"formatVersion\": this JetLag reads versions 1 to "
                  + FORMAT_VERSION
                  + ", got "
                  + v.asLong());
        }
      }
      String name = string(root, "name", path, Optional.of("graph"));
      String description = string(root, "description", path, Optional.of(""));
      JsonNode nodes = root.get("nodes");
      if (nodes == null || !nodes.isArray()) {
        throw fail(path, "\"nodes\": expected an array, got " + kind(nodes));
      }
      List<Node> ns = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        ns.add(node(nodes.get(i), path + "nodes[" + i + "]"));
      }
      List<Edge> es = new ArrayList<>();
      JsonNode edges = root.get("edges");
      if (edges != null) {
        if (!edges.isArray()) {
          throw fail(path, "\"edges\": expected an array, got " + kind(edges));
        }
        for (int i = 0; i < edges.size(); i++) {
          es.add(edge(edges.get(i), path + "edges[" + i + "]"));
        }
      }
      return Graph.of(name, description, ns, es);
    }

    private Node node(JsonNode n, String path) {
      if (!n.isObject()) {
        throw fail(path, "expected a node object, got " + kind(n));
      }
      keys(n, path, orderedSet("id", "op", "params", "position", "body"));
      String id = string(n, "id", path, Optional.empty());
      String at = path + " (id '" + id + "')";
      String op = string(n, "op", at, Optional.empty());
      Map<String, Object> params = new LinkedHashMap<>();
      JsonNode ps = n.get("params");
      if (ps != null) {
        if (!ps.isObject()) {
          throw fail(at, "\"params\": expected an object, got " + kind(ps));
        }
        Iterator<Map.Entry<String, JsonNode>> it = ps.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          params.put(e.getKey(), value(e.getValue(), at + ".params." + e.getKey(), false));
        }
      }
      Optional<Position> pos = Optional.empty();
      JsonNode p = n.get("position");
      if (p != null) {
        if (!p.isObject() || !p.path("x").isNumber() || !p.path("y").isNumber() || p.size() != 2) {
          throw fail(at, "\"position\": expected {\"x\": number, \"y\": number}, got " + p);
        }
        pos = Optional.of(new Position(p.get("x").asDouble(), p.get("y").asDouble()));
      }
      Optional<Graph> body = Optional.empty();
      if (n.get("body") != null) {
        body = Optional.of(graph(n.get("body"), at + ".body.", false));
      }
      try {
        return new Node(id, op, params, body, pos);
      } catch (IllegalArgumentException e) {
        throw fail(at, e.getMessage());
      }
    }

    private Edge edge(JsonNode e, String path) {
      if (!e.isObject()) {
        throw fail(
            path, "expected {\"from\": \"node:port\", \"to\": \"node:port\"}, got " + kind(e));
      }
      keys(e, path, orderedSet("from", "to"));
      try {
        return new Edge(
            PortRef.parse(string(e, "from", path, Optional.empty())),
            PortRef.parse(string(e, "to", path, Optional.empty())));
      } catch (IllegalArgumentException ex) {
        throw fail(path, ex.getMessage());
      }
    }

    private Object value(JsonNode v, String path, boolean inList) {
      if (v.isIntegralNumber()) {
        if (!v.canConvertToLong()) {
          throw fail(path, "integer " + v + " does not fit in 64 bits");
        }
        return v.asLong();
      }
      if (v.isNumber()) {
        return v.asDouble();
      }
      if (v.isBoolean()) {
        return v.asBoolean();
      }
      if (v.isTextual()) {
        return v.asText();
      }
      if (v.isNull()) {
        if (!inList) {
          throw fail(path, "expected a value, got null (leave the parameter out instead)");
        }
        return null;
      }
      if (v.isArray()) {
        List<Object> l = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
          l.add(value(v.get(i), path + "[" + i + "]", true));
        }
        return java.util.Collections.unmodifiableList(l);
      }
      throw fail(path, "expected a number, string, boolean or list, got an object");
    }

    private String string(JsonNode obj, String key, String path, Optional<String> dflt) {
      JsonNode v = obj.get(key);
      if (v == null && dflt.isPresent()) {
        return dflt.get();
      }
      if (v == null || !v.isTextual()) {
        throw fail(path, "\"" + key + "\": expected a string, got " + kind(v));
      }
      return v.asText();
    }

    private static String kind(JsonNode v) {
      if (v == null) {
        return "none";
      }
      if (v.isObject()) {
        return "an object";
      }
      if (v.isArray()) {
        return "an array";
      }
      return v.toString();
    }
  }

  private static Set<String> orderedSet(String... s) {
    return new java.util.LinkedHashSet<>(List.of(s));
  }

  // ------------------------------------------------------------------ writing

  private static final class Writer {
    private final StringBuilder sb;

    Writer(StringBuilder sb) {
      this.sb = sb;
    }

    private void indent(int n) {
      sb.append("  ".repeat(n));
    }

    void graph(Graph g, int d, boolean top) {
      sb.append("{\n");
      if (top) {
        indent(d + 1);
        sb.append("\"formatVersion\": ").append(FORMAT_VERSION).append(",\n");
      }
      indent(d + 1);
      sb.append("\"name\": ");
      str(g.name());
      sb.append(",\n");
      if (!g.description().isEmpty()) {
        indent(d + 1);
        sb.append("\"description\": ");
        str(g.description());
        sb.append(",\n");
      }
      indent(d + 1);
      sb.append("\"nodes\": [");
      for (int i = 0; i < g.nodes().size(); i++) {
        sb.append(i == 0 ? "\n" : ",\n");
        indent(d + 2);
        node(g.nodes().get(i), d + 2);
      }
      if (!g.nodes().isEmpty()) {
        sb.append('\n');
        indent(d + 1);
      }
      sb.append("],\n");
      indent(d + 1);
      sb.append("\"edges\": [");
      for (int i = 0; i < g.edges().size(); i++) {
        Edge e = g.edges().get(i);
        sb.append(i == 0 ? "\n" : ",\n");
        indent(d + 2);
        sb.append("{\"from\": ");
        str(e.from().toString());
        sb.append(", \"to\": ");
        str(e.to().toString());
        sb.append('}');
      }
      if (!g.edges().isEmpty()) {
        sb.append('\n');
        indent(d + 1);
      }
      sb.append("]\n");
      indent(d);
      sb.append('}');
    }

    private void node(Node n, int d) {
      sb.append("{\"id\": ");
      str(n.id());
      sb.append(", \"op\": ");
      str(n.op());
      if (!n.params().isEmpty()) {
        sb.append(", \"params\": {");
        boolean first = true;
        for (Map.Entry<String, Object> e : n.params().entrySet()) {
          sb.append(first ? "" : ", ");
          first = false;
          str(e.getKey());
          sb.append(": ");
          value(e.getValue());
        }
        sb.append('}');
      }
      n.position()
          .ifPresent(
              p -> {
                sb.append(", \"position\": {\"x\": ");
                num(p.x());
                sb.append(", \"y\": ");
                num(p.y());
                sb.append('}');
              });
      if (n.body().isPresent()) {
        sb.append(",\n");
        indent(d + 1);
        sb.append("\"body\": ");
        graph(n.body().get(), d + 1, false);
        sb.append('\n');
        indent(d);
      }
      sb.append('}');
    }

    private void value(Object v) {
      if (v == null) {
        sb.append("null");
      } else if (v instanceof String) {
        str((String) v);
      } else if (v instanceof Double) {
        num((Double) v);
      } else if (v instanceof List) {
        sb.append('[');
        boolean first = true;
        for (Object o : (List<?>) v) {
          sb.append(first ? "" : ", ");
          first = false;
          value(o);
        }
        sb.append(']');
      } else {
        sb.append(v);
      }
    }

    private void num(double d) {
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        str(Double.isNaN(d) ? "NaN" : d > 0 ? "inf" : "-inf");
      } else {
        sb.append(Double.toString(d));
      }
    }

    private void str(String s) {
      try {
        sb.append(MAPPER.writeValueAsString(s));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
