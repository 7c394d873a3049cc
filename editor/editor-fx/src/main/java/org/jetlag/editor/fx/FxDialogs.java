package org.jetlag.editor.fx;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.jetlag.editor.DialogService;
import org.jetlag.editor.SubmitForm;
import org.jetlag.editor.fx.internal.SubmitDialog;

/** The dialog service with JavaFX alerts and file choosers, owned by the editor window. */
public final class FxDialogs implements DialogService {
  private final Window owner;
  private Path lastDir = Path.of("").toAbsolutePath();

  /** Dialogs over that window. */
  public FxDialogs(Window owner) {
    this.owner = owner;
  }

  @Override
  public void showError(String title, String message) {
    Alert a = new Alert(Alert.AlertType.ERROR, message, ButtonType.OK);
    a.initOwner(owner);
    a.setHeaderText(title);
    a.showAndWait();
  }

  @Override
  public boolean confirm(String title, String message) {
    Alert a = new Alert(Alert.AlertType.CONFIRMATION, message, ButtonType.YES, ButtonType.NO);
    a.initOwner(owner);
    a.setHeaderText(title);
    return a.showAndWait().filter(b -> b == ButtonType.YES).isPresent();
  }

  @Override
  public Optional<Path> chooseFileToOpen(String title, List<String> extensions) {
    FileChooser fc = chooser(title);
    fc.getExtensionFilters()
        .add(
            new FileChooser.ExtensionFilter(
                String.join(", ", extensions), extensions.stream().map(e -> "*." + e).toList()));
    return remember(Optional.ofNullable(fc.showOpenDialog(owner)));
  }

  @Override
  public Optional<Path> chooseFileToSave(String title, String suggestedName) {
    FileChooser fc = chooser(title);
    fc.setInitialFileName(suggestedName);
    return remember(Optional.ofNullable(fc.showSaveDialog(owner)));
  }

  @Override
  public Optional<SubmitForm> askSubmit(SubmitForm initial) {
    return SubmitDialog.ask(owner, initial);
  }

  private FileChooser chooser(String title) {
    FileChooser fc = new FileChooser();
    fc.setTitle(title);
    File dir = lastDir.toFile();
    if (dir.isDirectory()) {
      fc.setInitialDirectory(dir);
    }
    return fc;
  }

  private Optional<Path> remember(Optional<File> f) {
    f.ifPresent(x -> lastDir = x.toPath().toAbsolutePath().getParent());
    return f.map(File::toPath);
  }
}
