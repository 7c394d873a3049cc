package org.jetlag.editor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.jetlag.graph.ops.ParamSpec;
import org.jetlag.graph.ops.ParamType;

/**
 * One row of the property sheet: the text of a parameter, checked as the user types. Valid text is
 * committed to the document at once; invalid text stays in the field with the reason beside it.
 */
public final class ParamField {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ParamSpec spec;
  private final StringProperty text = new SimpleStringProperty(this, "text", "");
  private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
  private boolean loading;
  private Optional<Object> value = Optional.empty();

  ParamField(ParamSpec spec, Optional<Object> raw, Consumer<Optional<Object>> commit) {
    this.spec = Objects.requireNonNull(spec, "spec");
    load(raw);
    text.addListener(
        (o, a, b) -> {
          if (!loading) {
            Optional<Optional<Object>> parsed = parse(b);
            if (parsed.isPresent() && !parsed.get().equals(value)) {
              value = parsed.get();
              commit.accept(value);
            }
          }
        });
  }

  /** The parameter's spec: name, type, default, limits and doc. */
  public ParamSpec spec() {
    return spec;
  }

  /** What the field shows and the user types: JSON for numbers and lists, bare text for names. */
  public StringProperty textProperty() {
    return text;
  }

  /** Why the text is not a valid value; empty when it is. */
  public ReadOnlyStringProperty errorProperty() {
    return error.getReadOnlyProperty();
  }

  /** A hint shown in an empty field: the default, or what is expected. */
  public String prompt() {
    if (spec.defaultValue().isPresent()) {
      return "default " + toText(spec.defaultValue().get());
    }
    return spec.required() ? "required " + spec.type() : "unset (" + spec.type() + ")";
  }

  /** Shows a value from the document without committing it back. */
  void load(Optional<Object> raw) {
    value = raw;
    loading = true;
    try {
      text.set(raw.map(ParamField::toText).orElse(""));
      error.set(raw.isEmpty() && spec.required() ? "required, not set" : "");
    } finally {
      loading = false;
    }
  }

  /** The raw value last loaded or committed; empty for unset. */
  Optional<Object> value() {
    return value;
  }

  /** The raw value of a text (empty for unset), or empty with the error set. */
  private Optional<Optional<Object>> parse(String t) {
    String s = t == null ? "" : t.trim();
    if (s.isEmpty()) {
      error.set(spec.required() ? "required, not set" : "");
      return spec.required() ? Optional.empty() : Optional.of(Optional.empty());
    }
    Object raw;
    if (spec.type() == ParamType.STRING || spec.type() == ParamType.DTYPE) {
      raw = s;
    } else {
      try {
        raw = normalise(JSON.readValue(s, Object.class));
      } catch (JsonProcessingException e) {
        error.set("expected " + expectation() + ", got \"" + s + "\"");
        return Optional.empty();
      }
    }
    try {
      spec.coerce(raw);
    } catch (IllegalArgumentException e) {
      error.set(e.getMessage());
      return Optional.empty();
    }
    error.set("");
    return Optional.of(Optional.of(raw));
  }

  private String expectation() {
    switch (spec.type()) {
      case INT:
        return "an integer";
      case FLOAT:
        return "a number";
      case BOOL:
        return "true or false";
      case SHAPE:
        return "a shape such as [null, 3]";
      case INT_LIST:
        return "an integer or a list such as [0, 1]";
      case TENSOR:
        return "a number or nested lists such as [[1, 2], [3, 4]]";
      case STRING:
      case DTYPE:
        return "text";
    }
    return spec.type().toString();
  }

  /** Integers as {@code Long}, as a document holds them, so values compare equal. */
  private static Object normalise(Object o) {
    if (o instanceof Integer) {
      return ((Integer) o).longValue();
    }
    if (o instanceof java.util.List) {
      java.util.List<Object> l = new java.util.ArrayList<>();
      for (Object e : (java.util.List<?>) o) {
        l.add(normalise(e));
      }
      return java.util.Collections.unmodifiableList(l);
    }
    return o;
  }

  static String toText(Object raw) {
    if (raw instanceof String) {
      return (String) raw;
    }
    try {
      return JSON.writeValueAsString(raw).replace(",", ", ");
    } catch (JsonProcessingException e) {
      return String.valueOf(raw);
    }
  }
}
