package org.jetlag.editor.fx.internal;

import java.util.Optional;
import java.util.OptionalInt;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.paint.Color;
import javafx.stage.Window;
import org.jetlag.editor.SubmitForm;
import org.jetlag.graph.JetLagException;
import org.jetlag.remote.RunSettings;
import org.jetlag.remote.Target;

/**
 * The Submit dialog: target, queue, nodes, cores, minutes and runner, checked as typed (the reason
 * under the fields; Submit stays disabled until the form is whole). A {@code flink://} target runs
 * with the flink runner only, so the runner box is fixed to it.
 */
public final class SubmitDialog {
  private SubmitDialog() {}

  /** Shows the dialog over {@code owner}, filled with {@code initial}; empty when cancelled. */
  public static Optional<SubmitForm> ask(Window owner, SubmitForm initial) {
    Dialog<SubmitForm> d = new Dialog<>();
    d.initOwner(owner);
    d.setTitle("Submit remote job");
    d.setHeaderText(
        "Send the saved graph and its inputs to a Tapis system (tapis:<system>) or a Flink session"
            + " cluster (flink://host:port).");
    ButtonType submit = new ButtonType("Submit", ButtonBar.ButtonData.OK_DONE);
    d.getDialogPane().getButtonTypes().addAll(submit, ButtonType.CANCEL);

    TextField target =
        field("submit-target", initial.target(), "tapis:my-hpc or flink://localhost:8081");
    TextField queue = field("submit-queue", initial.queue(), "the system's default");
    TextField nodes = field("submit-nodes", text(initial.nodes()), "default");
    TextField cores = field("submit-cores", text(initial.cores()), "default");
    TextField minutes = field("submit-minutes", text(initial.minutes()), "default");
    ComboBox<String> runner = new ComboBox<>();
    runner.setId("submit-runner");
    runner.getItems().setAll(RunSettings.RUNNERS);
    runner.setValue(initial.runner());
    Label problem = new Label();
    problem.setId("submit-problem");
    problem.setTextFill(Color.web("#b71c1c"));
    problem.setWrapText(true);

    GridPane g = new GridPane();
    g.setHgap(8);
    g.setVgap(6);
    g.addRow(0, new Label("Target"), target);
    g.addRow(1, new Label("Queue"), queue);
    g.addRow(2, new Label("Nodes"), nodes);
    g.addRow(3, new Label("Cores"), cores);
    g.addRow(4, new Label("Minutes"), minutes);
    g.addRow(5, new Label("Runner"), runner);
    g.add(problem, 0, 6, 2, 1);
    d.getDialogPane().setContent(g);

    Runnable check =
        () -> {
          Optional<String> why = Optional.empty();
          try {
            Target t = Target.parse(target.getText());
            if (t instanceof Target.FlinkSession) {
              runner.setValue("flink");
              runner.setDisable(true);
            } else {
              runner.setDisable(false);
            }
            number("nodes", nodes.getText());
            number("cores", cores.getText());
            number("minutes", minutes.getText());
          } catch (JetLagException e) {
            why = Optional.of(e.getMessage());
          }
          problem.setText(why.orElse(""));
          d.getDialogPane().lookupButton(submit).setDisable(why.isPresent());
        };
    for (TextField f : new TextField[] {target, nodes, cores, minutes}) {
      f.textProperty().addListener((o, a, b) -> check.run());
    }
    check.run();
    d.setResultConverter(
        b ->
            b == submit
                ? new SubmitForm(
                    target.getText(),
                    queue.getText(),
                    number("nodes", nodes.getText()),
                    number("cores", cores.getText()),
                    number("minutes", minutes.getText()),
                    runner.getValue())
                : null);
    return d.showAndWait();
  }

  private static TextField field(String id, String value, String prompt) {
    TextField f = new TextField(value);
    f.setId(id);
    f.setPromptText(prompt);
    f.setPrefColumnCount(24);
    return f;
  }

  private static String text(OptionalInt v) {
    return v.isPresent() ? Integer.toString(v.getAsInt()) : "";
  }

  private static OptionalInt number(String field, String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      int v = Integer.parseInt(t);
      if (v >= 1) {
        return OptionalInt.of(v);
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new JetLagException(field + ": expected a whole number of at least 1, got '" + t + "'");
  }
}
