package org.jetlag.editor.fx;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javax.imageio.ImageIO;

/** Writes a scene as a PNG (see {@link #imagesDir()}). */
final class Screenshots {
  private Screenshots() {}

  /**
   * Where screenshots go: the repository's {@code docs/images} when the build runs with {@code
   * -Djetlag.screenshots=docs} (to regenerate the pictures the docs show), else {@code
   * target/screenshots}, so an ordinary build leaves the working tree clean.
   */
  static Path imagesDir() {
    Path p = Path.of("").toAbsolutePath();
    if ("docs".equals(System.getProperty("jetlag.screenshots"))) {
      for (Path x = p; x != null; x = x.getParent()) {
        if (Files.isDirectory(x.resolve("docs")) && Files.exists(x.resolve("mvnw"))) {
          return x.resolve("docs").resolve("images");
        }
      }
    }
    return p.resolve("target").resolve("screenshots");
  }

  /** Snapshots the scene (call on the FX thread) and writes it. */
  static Path write(Scene scene, String name) throws IOException {
    WritableImage img = scene.snapshot(null);
    int w = (int) img.getWidth();
    int h = (int) img.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    PixelReader r = img.getPixelReader();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        out.setRGB(x, y, r.getArgb(x, y));
      }
    }
    Path dir = imagesDir();
    Files.createDirectories(dir);
    Path f = dir.resolve(name);
    ImageIO.write(out, "png", f.toFile());
    return f;
  }
}
