package org.jetlag.editor.fx;

import java.util.Optional;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import org.jetlag.editor.EditorViewModel;
import org.jetlag.editor.ParamField;
import org.jetlag.editor.PropertySheetViewModel;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.ops.OpSpec;

/**
 * The property sheet of the selected node: its op and doc, its ports with their types, and a field
 * per parameter that validates as the user types (the reason shown in red under the field).
 */
public final class PropertySheetView extends VBox {
  private final EditorViewModel editor;
  private final PropertySheetViewModel vm;
  private final GridPane grid = new GridPane();
  private final Label header = new Label();
  private final Label doc = new Label();
  private final Label ports = new Label();

  PropertySheetView(EditorViewModel editor) {
    super(6);
    this.editor = editor;
    this.vm = editor.properties();
    setId("property-sheet");
    setPadding(new Insets(8));
    header.setStyle("-fx-font-weight: bold; -fx-font-size: 13;");
    doc.setWrapText(true);
    doc.setTextFill(Color.web("#546e7a"));
    ports.setWrapText(true);
    ports.setStyle("-fx-font-family: monospace; -fx-font-size: 11;");
    grid.setHgap(6);
    grid.setVgap(2);
    getChildren().addAll(header, doc, grid, ports);
    // Fields are rebuilt only when another node is shown, so typing keeps the focus.
    vm.fields().addListener((ListChangeListener<ParamField>) c -> rebuildFields());
    vm.nodeProperty().addListener((o, a, b) -> refreshInfo());
    editor.documentProperty().addListener((o, a, b) -> refreshInfo());
    rebuildFields();
    refreshInfo();
  }

  private void rebuildFields() {
    grid.getChildren().clear();
    int row = 0;
    for (ParamField f : vm.fields()) {
      Label name = new Label(f.spec().name() + (f.spec().required() ? " *" : ""));
      Tooltip.install(name, new Tooltip(f.spec().doc() + " (" + f.spec().type() + ")"));
      TextField tf = new TextField();
      tf.setId("param-" + f.spec().name());
      tf.setPromptText(f.prompt());
      tf.setPrefColumnCount(14);
      tf.textProperty().bindBidirectional(f.textProperty());
      tf.setTooltip(new Tooltip(f.spec().doc()));
      Label err = new Label();
      err.setId("param-error-" + f.spec().name());
      err.setTextFill(Color.web("#c62828"));
      err.setWrapText(true);
      err.setMaxWidth(260);
      err.textProperty().bind(f.errorProperty());
      err.managedProperty().bind(f.errorProperty().isNotEmpty());
      err.visibleProperty().bind(f.errorProperty().isNotEmpty());
      tf.styleProperty()
          .bind(
              javafx.beans.binding.Bindings.when(f.errorProperty().isNotEmpty())
                  .then("-fx-border-color: #e53935;")
                  .otherwise(""));
      grid.add(name, 0, row);
      grid.add(tf, 1, row++);
      grid.add(err, 1, row++);
    }
  }

  private void refreshInfo() {
    Optional<Node> n = vm.nodeProperty().get();
    if (n.isEmpty()) {
      header.setText("Properties");
      doc.setText("Select one node to edit its parameters.");
      ports.setText("");
      return;
    }
    Optional<OpSpec> spec = vm.spec();
    header.setText(n.get().id() + "  (" + n.get().op() + ")");
    doc.setText(spec.map(OpSpec::doc).orElse("unknown op"));
    StringBuilder sb = new StringBuilder();
    var pt = editor.portTypesProperty().get();
    String id = n.get().id();
    for (String in : pt.inputs(id)) {
      String type =
          editor.document().current().edgesInto(id).stream()
              .filter(e -> e.to().port().equals(in))
              .findFirst()
              .flatMap(e -> pt.output(e.from()))
              .map(Object::toString)
              .orElse("not connected");
      sb.append("in  ").append(in).append(": ").append(type).append('\n');
    }
    for (String out : pt.outputs(id)) {
      sb.append("out ")
          .append(out)
          .append(": ")
          .append(pt.output(new PortRef(id, out)).map(Object::toString).orElse("?"))
          .append('\n');
    }
    ports.setText(sb.toString().strip());
  }
}
