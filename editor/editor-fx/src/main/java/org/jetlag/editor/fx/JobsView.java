package org.jetlag.editor.fx;

import java.util.Optional;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.paint.Color;
import org.jetlag.editor.JobRow;
import org.jetlag.editor.JobsViewModel;

/**
 * The jobs panel: a table of the remote jobs with their live states, buttons to refresh, fetch and
 * open, and cancel, the panel's status line (timeouts and logins are said there), and the selected
 * job's details (a failed job's log). Double-click a row to fetch and open it.
 */
public final class JobsView extends BorderPane {
  private final JobsViewModel vm;
  private final TableView<JobRow> table;
  private boolean restoring;

  /** The panel of a jobs view model. */
  public JobsView(JobsViewModel vm) {
    this.vm = vm;
    this.table = new TableView<>(vm.rows());
    setId("jobs-panel");
    table.setId("jobs-table");
    table.setPlaceholder(new Label("No remote jobs yet: Remote ▸ Submit… sends the graph."));
    table.getColumns().add(column("id", r -> r.id(), 110));
    table.getColumns().add(column("name", r -> r.job().name(), 150));
    table.getColumns().add(column("target", JobRow::target, 150));
    TableColumn<JobRow, String> state = column("state", JobRow::state, 90);
    state.setCellFactory(
        c ->
            new javafx.scene.control.TableCell<>() {
              @Override
              protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
                setTextFill(colour(empty ? "" : s));
                setStyle("-fx-font-weight: bold;");
              }
            });
    table.getColumns().add(state);
    table.getColumns().add(column("condition", r -> r.job().condition(), 150));
    table.getColumns().add(column("created", r -> r.job().created(), 170));
    table.getColumns().add(column("last message", r -> r.job().lastMessage(), 300));
    table.setRowFactory(
        t -> {
          TableRow<JobRow> row = new TableRow<>();
          row.setOnMouseClicked(
              e -> {
                if (e.getButton() == MouseButton.PRIMARY
                    && e.getClickCount() == 2
                    && !row.isEmpty()) {
                  vm.fetchAndOpen(row.getItem());
                }
              });
          return row;
        });
    table
        .getSelectionModel()
        .selectedItemProperty()
        .addListener(
            (o, a, r) -> {
              // null comes also when the rows are replaced; the job stays selected then
              if (!restoring && r != null) {
                vm.select(Optional.of(r));
              }
            });
    // the rows are replaced when states change, and a submit selects its job: the table follows
    vm.rows().addListener((ListChangeListener<JobRow>) c -> restoreSelection());
    vm.selectedProperty().addListener((o, a, b) -> restoreSelection());

    Button refresh = button("Refresh", "Ask every job service again", vm::refresh);
    refresh.setId("jobs-refresh");
    Button fetch =
        button(
            "Fetch & Open",
            "Fetch the selected job's results and show its trace",
            vm::fetchAndOpenSelected);
    fetch.setId("jobs-fetch");
    Button cancel = button("Cancel Job", "Cancel the selected job", vm::cancelSelected);
    cancel.setId("jobs-cancel");
    fetch.disableProperty().bind(vm.busyProperty());
    Label status = new Label();
    status.setId("jobs-status");
    status.textProperty().bind(vm.statusProperty());
    setTop(new ToolBar(refresh, fetch, cancel, status));

    TextArea details = new TextArea();
    details.setId("jobs-details");
    details.setEditable(false);
    details.setWrapText(true);
    details.textProperty().bind(vm.detailsProperty());
    SplitPane split = new SplitPane(table, details);
    split.setOrientation(Orientation.HORIZONTAL);
    split.setDividerPositions(0.72);
    setCenter(split);
    setPadding(new Insets(2));
  }

  private void restoreSelection() {
    Optional<JobRow> sel = vm.selectedProperty().get();
    if (sel.isEmpty()) {
      return;
    }
    restoring = true;
    try {
      for (int i = 0; i < vm.rows().size(); i++) {
        if (vm.rows().get(i).key().equals(sel.get().key())) {
          if (table.getSelectionModel().getSelectedIndex() != i) {
            table.getSelectionModel().clearAndSelect(i);
          }
          return;
        }
      }
    } finally {
      restoring = false;
    }
  }

  /** The job table (for tests). */
  TableView<JobRow> table() {
    return table;
  }

  private static Color colour(String state) {
    return switch (state) {
      case "FINISHED" -> Color.web("#2e7d32");
      case "FAILED" -> Color.web("#b71c1c");
      case "CANCELLED" -> Color.web("#616161");
      case "RUNNING" -> Color.web("#1565c0");
      default -> Color.web("#e65100");
    };
  }

  private static TableColumn<JobRow, String> column(
      String name, Function<JobRow, String> f, double width) {
    TableColumn<JobRow, String> c = new TableColumn<>(name);
    c.setCellValueFactory(cd -> new ReadOnlyStringWrapper(f.apply(cd.getValue())));
    c.setPrefWidth(width);
    return c;
  }

  private static Button button(String text, String tip, Runnable action) {
    Button b = new Button(text);
    b.setTooltip(new Tooltip(tip));
    b.setOnAction(e -> action.run());
    b.setFocusTraversable(false);
    return b;
  }
}
