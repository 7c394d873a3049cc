package org.jetlag.runner.plan;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jetlag.arrow.ArrayFileException;
import org.jetlag.arrow.ArrowFiles;
import org.jetlag.arrow.NpyFiles;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.Shape;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.ops.OpKind;
import org.jetlag.graph.ops.OpSpec;
import org.jetlag.graph.ops.OpTypeException;
import org.jetlag.graph.ops.Ops;
import org.jetlag.runner.RunFailure;

/**
 * Computes the concrete type of every port once the inputs' shapes are known, with the same type
 * rules validation uses, and reports every array it will create (for chunk sizing).
 */
public final class Planner {
  private Planner() {}

  /**
   * Concrete types of every output port of {@code g}.
   *
   * @param inputs concrete types of the graph inputs by name
   * @param onValue told every array type the run will hold, bodies included
   * @throws RunFailure naming the node when an input does not fit or a file header is wrong
   */
  public static Map<PortRef, TensorType> types(
      TypedGraph g,
      Map<String, TensorType> inputs,
      Path baseDir,
      String prefix,
      Consumer<TensorType> onValue) {
    Map<PortRef, TensorType> types = new LinkedHashMap<>();
    for (Node n : g.order()) {
      OpSpec spec = g.spec(n.id());
      Map<String, Object> params = g.params(n.id());
      Map<String, TensorType> ins = new LinkedHashMap<>();
      for (String p : g.inputPorts(n.id())) {
        ins.put(p, types.get(g.source(n.id(), p)));
      }
      OpKind kind = spec.kind();
      if (kind.equals(new OpKind.GraphPort(OpKind.GraphPortFn.INPUT))) {
        String name = (String) params.get("name");
        TensorType t = inputs.get(name);
        TensorType declared = g.type(new PortRef(n.id(), Ops.OUT));
        if (t == null) {
          throw RunFailure.at(
              prefix + n.id(),
              n.op(),
              "input '" + name + "': expected " + declared + ", got none",
              null);
        }
        if (!fits(declared, t)) {
          throw RunFailure.at(
              prefix + n.id(),
              n.op(),
              "input '" + name + "': expected " + declared + ", got " + t,
              null);
        }
        put(types, n, Ops.OUT, t, onValue);
      } else if (kind instanceof OpKind.Io && ((OpKind.Io) kind).fn().isRead()) {
        OpKind.IoFn fn = ((OpKind.Io) kind).fn();
        Path file = baseDir.resolve((String) params.get("path"));
        TensorType declared = g.type(new PortRef(n.id(), Ops.OUT));
        TensorType actual;
        try {
          actual =
              fn == OpKind.IoFn.READ_CSV
                  ? csvType(
                      file,
                      declared,
                      (Boolean) params.get("header"),
                      ((String) params.get("delimiter")).charAt(0))
                  : header(fn, file, declared);
        } catch (ArrayFileException e) {
          throw RunFailure.at(prefix + n.id(), n.op(), e.getMessage(), e);
        }
        if (!fits(declared, actual)) {
          throw RunFailure.at(
              prefix + n.id(),
              n.op(),
              "file '" + file + "': expected " + declared + ", got " + actual,
              null);
        }
        put(types, n, Ops.OUT, actual, onValue);
      } else if (kind instanceof OpKind.Control) {
        TypedGraph body = g.body(n.id());
        Map<String, TensorType> bodyIns = new LinkedHashMap<>();
        for (String p : g.inputPorts(n.id())) {
          bodyIns.put(p, ins.get(p));
        }
        Map<PortRef, TensorType> bt = types(body, bodyIns, baseDir, prefix + n.id() + "/", onValue);
        for (String o : g.outputPorts(n.id())) {
          Node out =
              body.graph().outputNodes().stream()
                  .filter(b -> o.equals(body.params(b.id()).get("name")))
                  .findFirst()
                  .orElseThrow();
          TensorType t = bt.get(body.source(out.id(), "x"));
          if (((OpKind.Control) kind).fn() == OpKind.ControlFn.LOOP && !t.equals(ins.get(o))) {
            throw RunFailure.at(
                prefix + n.id(),
                n.op(),
                "carried value '"
                    + o
                    + "' must keep its type: starts as "
                    + ins.get(o)
                    + ", the body returns "
                    + t,
                null);
          }
          put(types, n, o, t, onValue);
        }
      } else {
        List<TensorType> outs;
        try {
          outs = spec.infer(params, ins);
        } catch (OpTypeException | IllegalArgumentException | ArithmeticException e) {
          throw RunFailure.at(
              prefix + n.id(),
              n.op(),
              e instanceof OpTypeException && ((OpTypeException) e).port().isPresent()
                  ? "port '" + ((OpTypeException) e).port().get() + "': " + e.getMessage()
                  : e.getMessage(),
              e);
        }
        List<String> ports = g.outputPorts(n.id());
        for (int i = 0; i < ports.size(); i++) {
          put(types, n, ports.get(i), outs.get(i), onValue);
        }
      }
    }
    return types;
  }

  private static void put(
      Map<PortRef, TensorType> types,
      Node n,
      String port,
      TensorType t,
      Consumer<TensorType> onValue) {
    if (!t.shape().isKnown()) {
      throw new IllegalStateException("concrete type of " + n.id() + ":" + port + " is " + t);
    }
    types.put(new PortRef(n.id(), port), t);
    onValue.accept(t);
  }

  /** The extensions of a graph input's data file, in the order {@link #inputBeside} tries them. */
  public static final List<String> INPUT_EXTENSIONS = List.of("npy", "arrow", "csv");

  /**
   * The data file of graph input {@code name} in {@code dir} when none was given: {@code
   * <name>.npy}, else {@code <name>.arrow}, else {@code <name>.csv}; empty when there is none. The
   * command line's run and submit and the editor all look for inputs this way.
   */
  public static java.util.Optional<Path> inputBeside(Path dir, String name) {
    return INPUT_EXTENSIONS.stream()
        .map(ext -> dir.resolve(name + "." + ext))
        .filter(java.nio.file.Files::isRegularFile)
        .findFirst();
  }

  /** The reader op for a file name's extension. */
  public static OpKind.IoFn readerFor(Path file) {
    String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (name.endsWith(".npy")) {
      return OpKind.IoFn.READ_NPY;
    }
    if (name.endsWith(".csv") || name.endsWith(".txt")) {
      return OpKind.IoFn.READ_CSV;
    }
    if (name.endsWith(".arrow") || name.endsWith(".feather") || name.endsWith(".ipc")) {
      return OpKind.IoFn.READ_ARROW;
    }
    throw new ArrayFileException(
        file, "unknown file type: expected a name ending in .arrow, .feather, .npy or .csv");
  }

  /**
   * The concrete type of a graph input given as a file (reader by extension; CSV without a header,
   * comma-separated, rows counted).
   *
   * @throws ArrayFileException when the file is missing, of an unknown type or unreadable
   */
  public static TensorType fileType(Path file, TensorType declared) {
    OpKind.IoFn fn = readerFor(file);
    return fn == OpKind.IoFn.READ_CSV
        ? csvType(file, declared, false, ',')
        : header(fn, file, declared);
  }

  /** The type a file holds, from its header (CSV: read to count rows). */
  public static TensorType header(OpKind.IoFn fn, Path file, TensorType declared) {
    switch (fn) {
      case READ_ARROW:
        return ArrowFiles.header(file);
      case READ_NPY:
        return NpyFiles.header(file);
      case READ_CSV:
        return declared; // rows are known only after reading; checked by the reader
      default:
        throw new IllegalArgumentException(fn + " is not a reader");
    }
  }

  /** The type of a CSV file: rows counted, columns from the first data line. */
  public static TensorType csvType(Path file, TensorType declared, boolean header, char delimiter) {
    long rows = 0;
    long cols = -1;
    try (java.io.BufferedReader r =
        java.nio.file.Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
      String line;
      boolean first = true;
      while ((line = r.readLine()) != null) {
        if (first && header) {
          first = false;
          continue;
        }
        first = false;
        if (line.isBlank()) {
          continue;
        }
        if (cols < 0) {
          cols = line.chars().filter(c -> c == delimiter).count() + 1;
        }
        rows++;
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ArrayFileException(file, "no such file");
    } catch (java.io.IOException e) {
      throw new ArrayFileException(file, "cannot read: " + e.getMessage(), e);
    }
    Shape s = declared.shape().rank() == 1 ? Shape.of(rows) : Shape.of(rows, Math.max(cols, 0));
    return new TensorType(declared.dtype(), s);
  }

  /** True when an actual concrete type fits a declared one (unknown dims match anything). */
  public static boolean fits(TensorType declared, TensorType actual) {
    if (declared.dtype() != actual.dtype() || declared.shape().rank() != actual.shape().rank()) {
      return false;
    }
    for (int i = 0; i < declared.shape().rank(); i++) {
      long d = declared.shape().dim(i);
      if (d != Shape.UNKNOWN && d != actual.shape().dim(i)) {
        return false;
      }
    }
    return true;
  }
}
