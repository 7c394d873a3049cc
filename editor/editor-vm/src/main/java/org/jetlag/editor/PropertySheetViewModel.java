package org.jetlag.editor;

import java.util.List;
import java.util.Optional;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jetlag.graph.Node;
import org.jetlag.graph.ops.OpSpec;
import org.jetlag.graph.ops.Ops;
import org.jetlag.graph.ops.ParamSpec;

/**
 * The property sheet of the one selected node: a field per parameter of its op, in the op's order,
 * each validating as the user types. Empty when zero or several nodes are selected.
 */
public final class PropertySheetViewModel {
  private final EditorViewModel editor;
  private final ReadOnlyObjectWrapper<Optional<Node>> node =
      new ReadOnlyObjectWrapper<>(this, "node", Optional.empty());
  private final ObservableList<ParamField> fields = FXCollections.observableArrayList();
  // one unmodifiable view, kept: views register weak listeners on the backing collection
  private final ObservableList<ParamField> fieldsView =
      FXCollections.unmodifiableObservableList(fields);

  PropertySheetViewModel(EditorViewModel editor) {
    this.editor = editor;
  }

  /** The node shown, if exactly one is selected. */
  public ReadOnlyObjectProperty<Optional<Node>> nodeProperty() {
    return node.getReadOnlyProperty();
  }

  /** The op of the node shown. */
  public Optional<OpSpec> spec() {
    return node.get().flatMap(n -> Ops.byName(n.op()));
  }

  /** One field per parameter of the op. */
  public ObservableList<ParamField> fields() {
    return fieldsView;
  }

  /** The field of that parameter, if shown. */
  public Optional<ParamField> field(String param) {
    return fields.stream().filter(f -> f.spec().name().equals(param)).findFirst();
  }

  /** Follows the document: rebuilds the fields when another node is shown, else reloads them. */
  void update(Document d) {
    Optional<Node> shown =
        d.selection().size() == 1 ? d.current().node(d.selection().get(0)) : Optional.empty();
    Optional<Node> before = node.get();
    node.set(shown);
    if (shown.isEmpty()) {
      fields.clear();
      return;
    }
    Node n = shown.get();
    boolean same = before.isPresent() && before.get().id().equals(n.id());
    if (same && !fields.isEmpty()) {
      for (ParamField f : fields) {
        Optional<Object> raw = Optional.ofNullable(n.params().get(f.spec().name()));
        // Reload only values changed elsewhere (undo, redo); keep what the user is typing.
        if (!raw.equals(f.value())) {
          f.load(raw);
        }
      }
      return;
    }
    List<ParamSpec> specs = Ops.byName(n.op()).map(OpSpec::params).orElse(List.of());
    String id = n.id();
    fields.setAll(
        specs.stream()
            .map(
                p ->
                    new ParamField(
                        p,
                        Optional.ofNullable(n.params().get(p.name())),
                        raw -> editor.setParam(id, p.name(), raw)))
            .toList());
  }
}
