/**
 * The JavaFX views of the editor: the main window, the graph canvas, the palette, the property
 * sheet and the run panels, bound one way to the view models of {@code org.jetlag.editor}.
 */
package org.jetlag.editor.fx;
