package org.jetlag.editor;

import java.util.List;
import java.util.Locale;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jetlag.graph.ops.OpSpec;
import org.jetlag.graph.ops.Ops;

/** The palette: every op of the catalogue by category, filtered by a search text. */
public final class PaletteViewModel {
  /**
   * One op in the palette.
   *
   * @param op the op's wire name
   * @param category its palette category
   * @param doc its one-line doc, shown as a tooltip
   */
  public record Entry(String op, String category, String doc) {}

  private final StringProperty search = new SimpleStringProperty(this, "search", "");
  private final ObservableList<Entry> all =
      FXCollections.observableArrayList(
          Ops.all().stream().map(s -> new Entry(s.name(), s.category(), s.doc())).toList());
  private final ObservableList<Entry> shown = FXCollections.observableArrayList(all);
  // one unmodifiable view, kept: views register weak listeners on the backing collection
  private final ObservableList<Entry> shownView = FXCollections.unmodifiableObservableList(shown);

  /** A palette of the whole catalogue. */
  public PaletteViewModel() {
    search.addListener((o, a, b) -> refilter());
  }

  /** The search text: ops whose name, category or doc contain it (ignoring case) are shown. */
  public StringProperty searchProperty() {
    return search;
  }

  /** The ops shown, in catalogue order (category by category). */
  public ObservableList<Entry> entries() {
    return shownView;
  }

  /** The categories in display order. */
  public List<String> categories() {
    return Ops.CATEGORIES;
  }

  /** The catalogue entry of an op. */
  public OpSpec spec(String op) {
    return Ops.get(op);
  }

  private void refilter() {
    String q = search.get() == null ? "" : search.get().trim().toLowerCase(Locale.ROOT);
    shown.setAll(
        all.stream()
            .filter(
                e ->
                    q.isEmpty()
                        || e.op().contains(q)
                        || e.category().contains(q)
                        || e.doc().toLowerCase(Locale.ROOT).contains(q))
            .toList());
  }
}
