/**
 * The editor's view models: an immutable {@link org.jetlag.editor.Document}, pure {@link
 * org.jetlag.editor.Edits}, undo/redo, runs and trace views, exposed as JavaFX properties ({@code
 * javafx-base} only) so that they are tested without a toolkit.
 */
package org.jetlag.editor;
