package org.jetlag.graph.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jetlag.graph.TensorType;

/**
 * One entry of the op catalogue: everything the palette, the property sheet, the op reference,
 * validation and the runners know about an op.
 *
 * @param name the stable wire name used in JSON ({@code "matmul"})
 * @param category the palette category ({@code "linear algebra"})
 * @param doc one line of documentation
 * @param inputs the input ports in order (control ops take theirs from the body)
 * @param outputs the output ports in order
 * @param params the parameters in order
 * @param kind the family and function runners dispatch on
 * @param rule output type inference
 */
public record OpSpec(
    String name,
    String category,
    String doc,
    List<PortSpec> inputs,
    List<PortSpec> outputs,
    List<ParamSpec> params,
    OpKind kind,
    TypeRule rule) {

  /** Validates the components and copies the lists. */
  public OpSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(doc, "doc");
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    params = List.copyOf(params);
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(rule, "rule");
  }

  /** The parameter spec of that name, if the op has one. */
  public Optional<ParamSpec> param(String paramName) {
    return params.stream().filter(p -> p.name().equals(paramName)).findFirst();
  }

  /** The input port of that name, if the op has one. */
  public Optional<PortSpec> input(String port) {
    return inputs.stream().filter(p -> p.name().equals(port)).findFirst();
  }

  /** True when the ports come from a body sub-graph (composite and loop). */
  public boolean hasBody() {
    return kind instanceof OpKind.Control;
  }

  /**
   * The canonical parameters of a node: each raw value coerced, defaults filled in, in spec order.
   *
   * @throws IllegalArgumentException naming the first parameter that is unknown, missing or bad
   */
  public Map<String, Object> canonicalParams(Map<String, Object> raw) {
    for (String k : raw.keySet()) {
      if (param(k).isEmpty()) {
        throw new IllegalArgumentException("parameter '" + k + "': unknown for op " + name);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (ParamSpec p : params) {
      Object v = raw.get(p.name());
      if (v == null) {
        if (p.required()) {
          throw new IllegalArgumentException("parameter '" + p.name() + "': required, not set");
        }
        if (p.defaultValue().isEmpty()) {
          continue;
        }
        v = p.defaultValue().get();
      }
      try {
        out.put(p.name(), p.coerce(v));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("parameter '" + p.name() + "': " + e.getMessage(), e);
      }
    }
    return out;
  }

  /**
   * Runs this op's type rule on concrete or static input types.
   *
   * @param canonical parameters as returned by {@link #canonicalParams}
   * @param inputs the type on each input port, variadic ones as {@code name.0}, {@code name.1}
   * @throws OpTypeException when they do not fit
   */
  public List<TensorType> infer(Map<String, Object> canonical, Map<String, TensorType> inputs) {
    return rule.infer(
        new InferContext() {
          @Override
          public TensorType in(String port) {
            TensorType t = inputs.get(port);
            if (t == null) {
              throw new OpTypeException(port, "expected an input, got none");
            }
            return t;
          }

          @Override
          public List<TensorType> variadic(String port) {
            List<TensorType> l = new ArrayList<>();
            for (int i = 0; inputs.containsKey(port + "." + i); i++) {
              l.add(inputs.get(port + "." + i));
            }
            return l;
          }

          @Override
          public Optional<Object> param(String paramName) {
            return Optional.ofNullable(canonical.get(paramName));
          }
        });
  }
}
